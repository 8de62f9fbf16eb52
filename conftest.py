"""Fixtures shared by every app's tests.

Django is imported inside the fixtures, not here: this file is loaded for every test run, and
the suggestion engine's tests run without Django (`-p no:django`).
"""

import copy
import gc
import os
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing, or fail it when CI says every service must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _sqlite_test_database_locks_when_it_writes(request):
    """The test database on SQLite is in memory with a shared cache, whose locks are per table
    and not waited for (SQLITE_LOCKED, not SQLITE_BUSY): there, the settings' IMMEDIATE mode
    (SQLITE_OPTIONS, for the embedded default's file) would make every test's transaction lock
    out any other connection, and a backup of the test database would wait for ever. Tests run
    it in SQLite's own mode; competency_site/tests/test_sqlite_writers.py tests IMMEDIATE on a
    file."""
    if request.config.pluginmanager.hasplugin("django"):
        from django.db import connections

        for connection in connections.all(initialized_only=False):
            if connection.vendor == "sqlite":
                connection.settings_dict.get("OPTIONS", {}).pop("transaction_mode", None)
                connection.transaction_mode = None


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Each test starts with an empty cache: throttle counters and task progress do not leak."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield  # a run without pytest-django (-p no:django) has no Django cache to clear
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test(request):
    """A request in Chinese leaves Chinese active in the thread (LocaleMiddleware activates the
    request's language and never deactivates it), so a later test's English messages depended
    on the order tests ran in: each test ends back in the default language."""
    yield
    if request.config.pluginmanager.hasplugin("django"):
        from django.utils import translation

        translation.deactivate()


@pytest.fixture
def chinese_stand_in(monkeypatch):
    """`chinese_stand_in(context, msgid)` gives the Chinese catalogue a stand-in translation
    ("〈msgid〉") of a message it has none of yet, for this test: a test that a page translates a
    new message then fails while the page does not, before the catalogue is written (a message
    the catalogue translates keeps its translation). For a plural message (ngettext), give its
    plural too, `chinese_stand_in(context, msgid, plural)`: Chinese has one form ("〈plural〉")."""
    from django.utils.translation import trans_real

    chinese = trans_real.translation("zh-hans")._catalog

    def add(context: str | None, msgid: str, plural: str | None = None) -> None:
        key = f"{context}\x04{msgid}" if context else msgid
        if plural is not None:
            if (key, 0) not in chinese:
                monkeypatch.setitem(chinese._catalogs[0], (key, 0), f"〈{plural}〉")
        elif key not in chinese:
            monkeypatch.setitem(chinese._catalogs[0], key, f"〈{msgid}〉")

    return add


# Tables PostgreSQL triggers keep in step with others: restoring the others restores them.
KEPT_BY_THE_DATABASE = {"curricula.CourseAbilityCount"}


class PaperSnapshot:
    """The rows `manage.py load_paper` writes into an empty database, captured once per session
    (in a transaction then rolled back) and written back in one bulk insert per table: loading
    the paper through its loader takes about two seconds (history, validation, a savepoint per
    record), restoring it a few milliseconds.

    The paper's records point at rows that were there before: the level scale. A transactional
    test's flush re-seeds the scale with new ids, so the restore maps those references by the
    levels' codes. When the paper's tables are not empty (a test wrote rows first) or a level
    is missing, the loader itself runs instead.
    """

    def __init__(self, rows: dict, referenced: dict):
        self.rows = rows
        # For each model the paper's rows point at but did not write: {pk: code} as captured.
        self.referenced = referenced

    @classmethod
    def take(cls) -> "PaperSnapshot":
        from django.apps import apps
        from django.core.management import call_command
        from django.db import transaction

        models = [
            model
            for model in apps.get_models()
            if model._meta.managed and model._meta.label not in KEPT_BY_THE_DATABASE
        ]
        with transaction.atomic():
            before = {model: _rows(model) for model in models}
            call_command("load_paper", verbosity=0)
            rows = {}
            for model in models:
                old, current = before[model], _rows(model)
                changed = [pk for pk, row in old.items() if current.get(pk) != row]
                if changed:
                    raise RuntimeError(
                        f"load_paper changed existing {model._meta.label} rows {changed[:5]}: "
                        "the paper fixture cannot be restored from a snapshot"
                    )
                added = [pk for pk in current if pk not in old]
                if added:
                    rows[model] = list(model._base_manager.filter(pk__in=added).order_by("pk"))
            transaction.set_rollback(True)
        targets = {
            field.related_model
            for model in rows
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model not in rows and before[field.related_model]
        }
        for model in targets:
            if not model._meta.get_field("code").unique:
                raise RuntimeError(f"{model._meta.label} rows cannot be matched by code")
        return cls(
            rows,
            {model: {pk: row["code"] for pk, row in before[model].items()} for model in targets},
        )

    def _id_maps(self) -> dict | None:
        """Old id -> current id of every referenced row, matched by code; None if one is gone."""
        maps = {}
        for model, codes in self.referenced.items():
            current = dict(model._base_manager.values_list("code", "pk"))
            if not set(codes.values()) <= current.keys():
                return None
            maps[model] = {pk: current[code] for pk, code in codes.items()}
        return maps

    def restore(self) -> None:
        from django.core.management import call_command
        from django.core.management.color import no_style
        from django.db import connection, transaction

        maps = self._id_maps()
        if maps is None or any(model._base_manager.exists() for model in self.rows):
            call_command("load_paper", verbosity=0)
            return
        # One transaction: foreign keys are checked at its end, whatever the tables' order.
        with transaction.atomic():
            for model, instances in self.rows.items():
                remapped = [
                    (field.attname, maps[field.related_model])
                    for field in model._meta.concrete_fields
                    if field.is_relation and field.related_model in maps
                ]
                copies = []
                for instance in instances:
                    row = copy.copy(instance)
                    for attname, ids in remapped:
                        old = getattr(row, attname)
                        if old is not None:
                            setattr(row, attname, ids[old])
                    copies.append(row)
                model._base_manager.bulk_create(copies)
            # Explicit ids leave PostgreSQL's sequences behind; the next insert must not reuse one.
            statements = connection.ops.sequence_reset_sql(no_style(), list(self.rows))
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)


def _rows(model) -> dict:
    return {row["pk"]: row for row in model._base_manager.values("pk", *_columns(model))}


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@pytest.fixture(scope="session")
def _paper_snapshot(django_db_setup, django_db_blocker) -> PaperSnapshot:
    with django_db_blocker.unblock():
        return PaperSnapshot.take()


@pytest.fixture
def paper(db, _paper_snapshot):
    """The paper's data, exactly as `manage.py load_paper` writes it into an empty database
    (restored from a snapshot taken once per session; the test's transaction undoes it)."""
    _paper_snapshot.restore()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def staff_user(django_user_model):
    """A staff user holding every model permission of the project's apps."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="staff", password="staff-pass-123", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["positions", "certifications", "curricula"]
        )
    )
    return user


@pytest.fixture
def staff_without_perms(django_user_model):
    return django_user_model.objects.create_user(
        username="bare-staff", password="staff-pass-123", is_staff=True
    )


@pytest.fixture
def plain_user(django_user_model):
    return django_user_model.objects.create_user(username="reader", password="reader-pass-123")


@pytest.fixture
def staff_client(staff_user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(staff_user)
    return client


def changed_first(monkeypatch, owner, name: str, change) -> None:
    """Make `owner.name` (the service a door starts a job with) run `change()` before it: the
    door has let the request in, and the account changes while the job waits for a worker."""
    original = getattr(owner, name)

    def changed_then_called(*args, **kwargs):
        change()
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, changed_then_called)


def deactivate(user) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


def take_permission(user, codename: str, app_label: str = "curricula") -> None:
    from django.contrib.auth.models import Permission

    user.user_permissions.remove(
        Permission.objects.get(codename=codename, content_type__app_label=app_label)
    )


def django_in_a_fresh_process(printed: str, *, drop: tuple[str, ...] = ("DJANGO_",), **env: str):
    """Start Django in a fresh interpreter, with this environment less the variables starting
    with `drop` and plus `env`, and print `printed` (an expression over `settings`): for what the
    settings module decides at start-up. Returns the finished process.

    The process starts as django.setup() does up to the loading of the apps: it reads the
    settings and configures logging with them, then prints. Loading the apps (every model, the
    admin, the spreadsheet libraries) changes no setting and took 0.75 s of the 1.1 s of CPU each
    such process used, about fifty of them in the suite."""
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    environment.update(env, DJANGO_SETTINGS_MODULE="competency_site.settings")
    code = (
        "from django.conf import settings; from django.utils.log import configure_logging; "
        f"configure_logging(settings.LOGGING_CONFIG, settings.LOGGING); print({printed})"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def migrated_to(targets):
    """The database migrated to `targets` (Django's migration keys, as `migrate` takes them),
    forwards or back; returns the models as they were there."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def older_release(request):
    """An upgrade's starting point: the database migrated back to the test module's `BEFORE`,
    given as its models were then; migrated forwards to the latest state after the test (the
    test's module marks its tests transactional)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    apps = migrated_to(request.module.BEFORE)
    yield apps
    migrated_to(MigrationExecutor(connection).loader.graph.leaf_nodes())


# --- Browser tests: Debian's Chromium driven by Playwright against live_server -----------------

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by a browser
# test itself (fixtures, assertions) would otherwise be refused as "async-unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in requirements-dev.txt
        skip_or_fail("playwright is not installed")
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


class PageWatch:
    """Collects what must not happen on a page: console errors, uncaught exceptions, requests
    that fail or answer with an error status, and dialogs (an injected alert())."""

    def __init__(self, page):
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("dialog", self._dialog)

    def _failed(self, request):
        # The browser cancels what is still loading (an icon, a stylesheet) when the page moves
        # on: that is the test navigating, not the site failing. Anything else counts.
        if request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"failed: {request.method} {request.url} ({request.failure})")

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def open_page(
        width: str = "desktop",
        storage_state=None,
        bypass_csp: bool = False,
        timezone_id: str | None = None,
    ):
        # bypass_csp: for tests that inject a script of their own (axe-core); the site's policy
        # itself is checked by competency_site/tests/test_csp_browser.py. timezone_id: the zone
        # the browser says it is in (else the machine's).
        w, h = WIDTHS[width]
        context = browser.new_context(
            viewport={"width": w, "height": h},
            base_url=live_server.url,
            storage_state=storage_state,
            bypass_csp=bypass_csp,
            timezone_id=timezone_id,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page, PageWatch(page)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def seeded(transactional_db, _paper_snapshot):
    """The paper with its starter mapping, and every programme's coverage report computed."""
    from curricula.coverage.services import coverage_recompute

    _paper_snapshot.restore()
    coverage_recompute(force=True)


# htmx marks what it is fetching or swapping with these classes until the swap has settled.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def wait_until_settled(page) -> None:
    """Until the page has loaded (after a click that navigates, which returns once the new page
    is committed, still being read) and every htmx request it started has been answered and
    swapped in. What `wait_for_load_state("networkidle")` was used for, without its half second
    of network silence per page."""
    page.wait_for_function(
        f"() => document.readyState === 'complete' && !document.querySelector({HTMX_BUSY!r})"
    )


def load_by(page, action, *, url=None) -> None:
    """Do `action` (a click on a link, a form's submission, a key that submits a form), which
    loads another page, and return once that page has loaded and settled; `url`, if given, is
    the address (glob, pattern or predicate) the page must load at.

    A locator's click or press waits for the navigation it starts to be committed, no longer:
    the new page is then still being read, its style sheets and deferred scripts (site.js,
    map.js, review.js) not there yet, so a measurement, or a key or click meant for a script,
    could come too early. `page.keyboard.press()` does not wait even for the commit. Unlike
    `wait_for_url()`, this also waits for a page loaded again at the same address."""
    with page.expect_navigation(url=url):
        action()
    wait_until_settled(page)


LOGIN_PATH = "/accounts/login/"


def log_in(page, username: str, password: str) -> None:
    """Log in on the login page, and return once logged in: on the page the login led to,
    showing the account. (An address ending in "/" said nothing: the login page's own does, so
    a submission that started after the click had returned was not waited for.)"""
    from playwright.sync_api import expect

    page.goto(LOGIN_PATH)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").last.click()
    page.wait_for_url(lambda url: urlsplit(url).path != LOGIN_PATH)
    expect(page.locator(".logout-form .user-name")).to_have_text(username)


def pytest_configure(config):
    """Every removal warning of the installed Django and DRF (RemovedInDjango60Warning, ...,
    RemovedInDRF320Warning) is an error wherever it is raised: Django warns of an override it
    will stop calling (ModelAdmin.log_deletion, a lookup_allowed without request) from its own
    modules, where pytest.ini's errors by module do not reach. The classes are read from the
    installed versions, whose names change with each release, so that the same suite runs on
    the next Django; pytest.ini's lines come after these and take precedence, so its narrow
    ignores of third-party code still apply."""
    from django.utils import deprecation as django_deprecation
    from rest_framework import deprecation as drf_deprecation

    removals = dict.fromkeys(
        f"{module.__name__}.{name}"
        for module in (django_deprecation, drf_deprecation)
        for name, value in vars(module).items()
        if name.startswith("RemovedIn")
        and isinstance(value, type)
        and value.__name__ == name  # RemovedInNextVersionWarning is an alias of one of them
    )
    config.getini("filterwarnings")[:0] = [f"error::{removal}" for removal in removals]
    _start_test_database_template(config)


def _under_xdist_controller(config) -> bool:
    """This is the process that hands tests to pytest-xdist's workers (and runs none)."""
    return (
        not hasattr(config, "workerinput")
        and config.pluginmanager.hasplugin("xdist")
        and bool(config.getoption("numprocesses", None))
        and config.getoption("dist", "no") != "no"
    )


def _start_test_database_template(config) -> None:
    """Under pytest-xdist on PostgreSQL, the controlling process (which runs no test) starts
    migrating the one template database the workers will copy, while they collect the suite
    (competency_site.test_postgresql.template)."""
    if (
        not _under_xdist_controller(config)
        or not config.pluginmanager.hasplugin("django")
        or config.getoption("collectonly")
        or (config.getoption("reuse_db", False) and not config.getoption("create_db", False))
    ):
        return
    import tempfile

    from django.db import connection

    from competency_site.test_postgresql import template

    if connection.settings_dict["ENGINE"] != "competency_site.test_postgresql":
        return
    name = f"{connection.creation._get_test_db_name()}_template"
    done = Path(tempfile.mkdtemp(prefix="test-database-template-")) / "done"
    config.stash[_TEMPLATE_KEY] = (name, done, template.start(name, done))


_TEMPLATE_KEY = pytest.StashKey[tuple]()


def pytest_unconfigure(config):
    """The template database is dropped at the end of the run (its builder stopped first if the
    run ended before it did)."""
    if _TEMPLATE_KEY not in config.stash:
        return
    import shutil

    from pytest_django.plugin import blocking_manager_key

    from competency_site.test_postgresql import template

    name, done, builder = config.stash[_TEMPLATE_KEY]
    if builder.poll() is None:
        builder.terminate()
    builder.wait()
    shutil.rmtree(done.parent, ignore_errors=True)
    from django.db import DatabaseError

    with config.stash[blocking_manager_key].unblock():
        try:
            template.drop(name)
        except DatabaseError as error:  # the run has reported what stopped it already
            sys.stderr.write(f"The test database template {name} was not dropped: {error}\n")


def pytest_collection_modifyitems(config, items):
    """Schemathesis names its generated items by operation (`test_fuzz_as_staff[GET /api/...]`)
    but leaves them the test function's node id, so all of a function's operations shared one
    id, and pytest-xdist, which schedules by id, ran one of them. Each gets the id its name says.
    (Tests of the real services may run on any xdist worker: each worker has its own test
    database and Redis database, see curricula/tests/test_coverage_worker.py.)"""
    for item in items:
        label = getattr(item, "operation_label", None)  # a schemathesis item
        if label and not item.nodeid.endswith("]"):
            item._id = item.id.with_params(label)  # pytest 9 keeps node ids structured


def pytest_collection_finish(session):
    """Two tests with one node id would run as one under pytest-xdist, silently: refuse them."""
    counts = Counter(item.nodeid for item in session.items)
    twice = sorted(nodeid for nodeid, n in counts.items() if n > 1)
    if twice:
        raise pytest.UsageError(f"tests share a node id (xdist would run one of each): {twice[:5]}")
    _keep_out_of_garbage_collection()


def _keep_out_of_garbage_collection() -> None:
    """What lives as long as the process (the modules, the collected tests, the test database's
    setup, the paper's snapshot) is left out of Python's garbage collector's full passes, which
    otherwise go through all of it again dozens of times a run: they took a quarter of a test
    process's CPU time. Garbage already there is collected first, not kept."""
    gc.collect()
    gc.freeze()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    result = yield
    if fixturedef.argname in ("django_db_setup", "_paper_snapshot"):
        _keep_out_of_garbage_collection()
    return result


# Nothing listens on port 1: connections are refused at once, as while Redis restarts.
DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(monkeypatch):
    """The Celery app pointed at a broker that refuses connections, tasks no longer inline."""
    from celery import current_app

    monkeypatch.setitem(current_app.conf, "broker_url", DEAD_BROKER)
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)


@pytest.fixture
def result_store_down(monkeypatch):
    """The Celery app's result backend (Redis) refusing connections, without retrying: what
    reading a task's state meets while Redis restarts."""
    from celery import current_app
    from celery.backends.redis import RedisBackend

    down = RedisBackend(app=current_app, url=DEAD_BROKER, retry_policy={"max_retries": 0})
    app = current_app._get_current_object()
    monkeypatch.setattr(type(app), "backend", property(lambda app: down))


def queue_warnings(caplog) -> list[str]:
    """The WARNING lines core.queue logged: one per refusal while the broker is down."""
    import logging

    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "core.queue" and record.levelno == logging.WARNING
    ]
