import threading

import pytest
from django.db import connection, connections
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are matched in English."""
    with translation.override("en"):
        yield


def race(*calls):
    """Run each call in its own thread, released together; return [(result or None, exception or None)].

    Each thread uses its own database connection (closed at the end), as two requests would.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i, call):
        try:
            with translation.override("en"):
                barrier.wait()
                outcomes[i] = (call(), None)
        except Exception as exc:  # the loser's exception is the point of the test
            outcomes[i] = (None, exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


@pytest.fixture
def vendor():
    return connection.vendor
