"""Running callers at the same instant on real database connections (concurrency tests)."""

from __future__ import annotations

import threading

from django.db import connection


def samtidigt(*opgaver, timeout: float = 30.0) -> list[tuple[str, object]]:
    """Run the callables in threads released together by a barrier; ("ok", value) or ("fejl", exc) each."""
    barrier = threading.Barrier(len(opgaver))
    resultater: list = [None] * len(opgaver)

    def koer(i, opgave):
        try:
            barrier.wait(timeout=timeout)
            resultater[i] = ("ok", opgave())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each caller got
            resultater[i] = ("fejl", exc)
        finally:
            connection.close()

    traade = [threading.Thread(target=koer, args=(i, o)) for i, o in enumerate(opgaver)]
    for t in traade:
        t.start()
    for t in traade:
        t.join(timeout=2 * timeout)
    assert not any(t.is_alive() for t in traade), "a caller hung (deadlock?)"
    return resultater
