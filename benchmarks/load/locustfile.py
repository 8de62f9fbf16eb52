"""The load mix of `make load` (benchmarks/load/run.py starts the servers and checks the outcome):
anonymous visitors read pages and API lists and ask what-if questions; staff editors change link
levels and notes through the API, each editor on links of its own, so the last edit a client saw
acknowledged is the one the database must hold.

Inputs: LOAD_DATA (JSON: programme ids, course ids per programme, link ids, the staff token);
output: LOAD_RESULT (JSON: every acknowledged edit, every 5xx).
"""

import itertools
import json
import os
import random
import threading
import time
import uuid

from locust import HttpUser, between, events, task

with open(os.environ["LOAD_DATA"]) as _data:
    DATA = json.load(_data)
EDITS: list[dict] = []
SERVER_ERRORS: list[dict] = []
_slices = itertools.count()
_lock = threading.Lock()


@events.request.add_listener
def _count_server_errors(request_type, name, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    if status >= 500:
        SERVER_ERRORS.append({"name": name, "status": status, "at": time.time()})


@events.quitting.add_listener
def _write_result(environment, **kwargs):
    with open(os.environ["LOAD_RESULT"], "w") as out:
        json.dump({"edits": EDITS, "server_errors": SERVER_ERRORS}, out)


class Visitor(HttpUser):
    """Anonymous: the pages people read, the API lists clients page through, what-if questions."""

    weight = 4
    wait_time = between(0.5, 2.0)

    def programme(self) -> int:
        return random.choice(DATA["programmes"])

    @task(3)
    def programme_page(self):
        self.client.get(f"/programs/{self.programme()}/", name="page: programme")

    @task(1)
    def home_page(self):
        self.client.get("/", name="page: home")

    @task(1)
    def positions_page(self):
        self.client.get("/positions/", name="page: positions")

    @task(2)
    def positions_list(self):
        page = random.randint(1, 20)
        self.client.get(f"/api/v1/positions/?page_size=50&page={page}", name="api: positions list")

    @task(2)
    def links_list(self):
        self.client.get(
            f"/api/v1/course-abilities/?program={self.programme()}&page_size=100",
            name="api: links of a programme",
        )

    @task(1)
    def coverage(self):
        self.client.get(f"/api/v1/programs/{self.programme()}/coverage/", name="api: coverage")

    @task(2)
    def what_if(self):
        programme = self.programme()
        course = random.choice(DATA["courses"][str(programme)])
        self.client.post(
            f"/api/v1/programs/{programme}/what-if/",
            json={"remove_courses": [course]},
            name="api: what-if",
        )


class Editor(HttpUser):
    """Staff with a token: changes the level and note of links of its own slice."""

    weight = 1
    wait_time = between(0.5, 2.0)

    def on_start(self):
        n = next(_slices)
        links = DATA["links"]
        size = max(1, len(links) // 64)
        self.links = links[n * size : (n + 1) * size] or links[:size]
        self.headers = {"Authorization": f"Token {DATA['token']}"}

    @task
    def edit_link(self):
        link = random.choice(self.links)
        note = f"load-{uuid.uuid4().hex[:12]}"
        level = random.choice(["I", "R", "M"])
        with self.client.patch(
            f"/api/v1/course-abilities/{link}/",
            json={"level": level, "note": note},
            headers=self.headers,
            name="api: edit link",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                with _lock:
                    EDITS.append({"link": link, "note": note, "level": level, "at": time.time()})
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
