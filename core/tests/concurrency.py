"""Two writers at once, in tests on PostgreSQL: another connection's transaction held open while
the test's own statements wait on the rows it holds."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def committed_meanwhile(
    write: Callable[[], object], *, after: float = 0.5
) -> Iterator[list[BaseException]]:
    """Run `write` in a transaction of its own (a thread's connection) and keep it open; run the
    block, and commit the other transaction `after` seconds into it, while the block waits on
    what it locked. Yields the errors the other transaction met at or after its commit (a test
    asserts on them after the block); one raised by `write` itself fails at once."""
    written, release, failed = threading.Event(), threading.Event(), []

    def other() -> None:
        try:
            with transaction.atomic():
                write()
                written.set()
                release.wait(30)
        except Exception as error:
            failed.append(error)
            written.set()
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=other)
    thread.start()
    assert written.wait(30)
    assert not failed, failed
    threading.Timer(after, release.set).start()
    try:
        yield failed
    finally:
        release.set()
        thread.join(30)
