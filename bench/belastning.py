"""Load generation for ``make bench``: gunicorn, wrk (closed loop), a fixed-rate open loop, SQL replay.

* :class:`Server` — ``gunicorn config.wsgi`` with ``bench.settings`` on 127.0.0.1 (N sync workers).
* :func:`last` — N clients in a closed loop for D seconds over a list of paths with fixed headers:
  ``wrk`` (``-t min(N, 2) -cN --latency --timeout T``) or, without wrk (or with ``BENCH_NO_WRK=1``),
  Python threads with keep-alive connections. Non-2xx answers, socket errors and timeouts are errors.
* :func:`aaben_loekke` — a fixed arrival rate (open loop; wrk2 is not packaged in Debian): request i
  is due at ``start + i / rate`` and its latency is measured from that due time, so a stalled server
  is charged for the requests it delayed (no coordinated omission). A request still waiting for a
  free connection ``timeout`` s after its due time is an error and is not sent (an overloaded server
  does not stretch the run).
* :func:`sql_replay` — the SQL one request ran, replayed with psycopg by N threads (one connection
  each) for D seconds: ``BEGIN; <statements>; ROLLBACK`` per "request", so writes (the read audit)
  cost what they cost without changing the data.

Every result is a dict: ``p50``, ``p99`` (ms), ``rps``, ``n`` (completed requests), ``fejl`` (errors).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.common import ROOT

PY = sys.executable

WRK_LUA = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local headers = {["Host"] = "127.0.0.1"}
local raw = os.getenv("BENCH_HEADERS") or ""
for name, value in string.gmatch(raw, "([^:\\n]+): ([^\\n]*)") do headers[name] = value end
local i = math.random(1, #paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end
"""


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    v = sorted(values)
    return v[min(len(v) - 1, max(0, round(p / 100 * len(v) + 0.5) - 1))]


def _resultat(tider: list[float], fejl: int, varighed: float) -> dict:
    if not tider:
        return {"p50": None, "p99": None, "rps": 0.0, "n": 0, "fejl": fejl}
    return {"p50": pct(tider, 50) * 1000, "p99": pct(tider, 99) * 1000, "rps": len(tider) / varighed,
            "n": len(tider), "fejl": fejl}  # fmt: skip


def fri_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vent_paa_port(port: int, proc, timeout: float = 60) -> None:
    slut = time.monotonic() + timeout
    while time.monotonic() < slut:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def stop(proc, timeout=20) -> None:
    """Stop a process started with ``start_new_session=True`` (its whole group)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def wrk() -> str | None:
    """The ``wrk`` binary the load comes from, or ``None``: the Python-thread fallback (also when
    ``BENCH_NO_WRK`` is set), which shares the cores with the server."""
    return shutil.which("wrk") if not os.environ.get("BENCH_NO_WRK") else None


class Server:
    """gunicorn with bench.settings; use as a context manager. ``timeout`` is gunicorn's worker timeout."""

    def __init__(self, tmp: Path, workers: int, timeout: int = 60):
        self.tmp, self.workers, self.timeout = Path(tmp), workers, timeout
        self.port = fri_port()
        self.wrk = wrk()
        self.lua = self.tmp / "bench_headers.lua"
        self.lua.write_text(WRK_LUA)
        self._nr = 0

    def __enter__(self):
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings")
        self.log = open(self.tmp / "gunicorn.log", "ab")
        self.proc = subprocess.Popen(
            [PY, "-m", "gunicorn", "config.wsgi:application", "-w", str(self.workers), "-b",
             f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", str(self.timeout)],
            env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            vent_paa_port(self.port, self.proc)
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        stop(self.proc)
        self.log.close()

    @property
    def vaerktoej(self) -> str:
        return "wrk" if self.wrk else "Python threads"

    def last(self, stier: list[str], headers: dict, varighed: float, klienter: int, timeout: float = 10) -> dict:
        """Closed loop: ``klienter`` connections, each sending its next request when the last answered."""
        if self.wrk:
            res = self._wrk(stier, headers, varighed, klienter, timeout)
        else:
            res = python_last(self.port, stier, headers, varighed, klienter, timeout)
        self.toem()
        return res

    def toem(self, maks: float = 120) -> float:
        """Wait until the workers have worked off what the load left queued (a client that gave up does
        not stop a sync worker): until one ping per worker, sent together, all answer within 100 ms."""
        start = time.monotonic()
        while time.monotonic() - start < maks:
            svar: list[float] = []

            def ping(svar=svar):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=maks)
                t0 = time.perf_counter()
                try:
                    _hent(conn, "/bench/ping/", {})
                    svar.append(time.perf_counter() - t0)
                except (OSError, http.client.HTTPException):
                    svar.append(maks)
                finally:
                    conn.close()

            traade = [threading.Thread(target=ping) for _ in range(self.workers)]
            for t in traade:
                t.start()
            for t in traade:
                t.join()
            if max(svar) < 0.1:
                break
        return time.monotonic() - start

    def _wrk(self, stier, headers, varighed, klienter, timeout) -> dict:
        self._nr += 1
        fil = self.tmp / f"stier{self._nr}.txt"
        fil.write_text("\n".join(stier) + "\n")
        env = dict(os.environ, BENCH_PATHS=str(fil), BENCH_HEADERS="\n".join(f"{k}: {v}" for k, v in headers.items()))
        t = max(1, min(klienter, 2))
        proc = subprocess.run(
            ["wrk", f"-t{t}", f"-c{klienter}", f"-d{max(1, round(varighed))}s", "--latency",
             "--timeout", f"{max(1, round(timeout))}s", "-s", str(self.lua), f"http://127.0.0.1:{self.port}"],
            env=env, capture_output=True, text=True, check=False, timeout=varighed + timeout + 30,
        )  # fmt: skip
        return parse_wrk(proc.stdout)


def parse_wrk(out: str) -> dict:
    res = {"p50": None, "p99": None, "rps": 0.0, "n": 0, "fejl": 0}
    enhed = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            res["rps"] = float(parts[1])
        elif len(parts) == 2 and parts[0] in ("50%", "99%"):
            tal = parts[1].rstrip("usm")
            res["p" + parts[0].rstrip("%")] = float(tal) * enhed[parts[1][len(tal) :]]
        elif "requests in" in line and parts[0].isdigit():
            res["n"] = int(parts[0])
        elif "Non-2xx" in line or "Socket errors" in line:
            res["fejl"] += sum(int(x.strip(",")) for x in parts if x.strip(",").isdigit())
    if not res["n"]:
        res["p50"] = res["p99"] = None
    return res


def _hent(conn, sti, headers) -> int:
    conn.request("GET", sti, headers=headers)
    svar = conn.getresponse()
    svar.read()
    return svar.status


def python_last(port, stier, headers, varighed, klienter, timeout=10) -> dict:  # noqa: PLR0917
    """Threaded closed-loop client (keep-alive), used when wrk is not installed."""
    stop_t = time.monotonic() + varighed
    tider, fejl, lock = [], [0], threading.Lock()

    def arbejder(nr):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        i, mine, egne_fejl = nr, [], 0
        while time.monotonic() < stop_t:
            i = (i + klienter) % len(stier)
            t0 = time.perf_counter()
            try:
                status = _hent(conn, stier[i], headers)
            except (OSError, http.client.HTTPException):
                egne_fejl += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                continue
            mine.append(time.perf_counter() - t0)
            egne_fejl += status >= 400
        with lock:
            tider.extend(mine)
            fejl[0] += egne_fejl

    start = time.monotonic()
    traade = [threading.Thread(target=arbejder, args=(n,)) for n in range(klienter)]
    for t in traade:
        t.start()
    for t in traade:
        t.join()
    return _resultat(tider, fejl[0], time.monotonic() - start)


def aaben_loekke(port, stier, headers, rate: float, varighed: float, forbindelser: int = 32,  # noqa: PLR0917
                 timeout: float = 10) -> dict:  # fmt: skip
    """Open loop at a fixed arrival rate; latency from each request's due time (see the module doc)."""
    koe: queue.Queue = queue.Queue()
    tider, fejl, lock = [], [0], threading.Lock()
    start = time.perf_counter() + 0.2
    antal = int(rate * varighed)

    def arbejder():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        mine, egne_fejl = [], 0
        while (job := koe.get()) is not None:
            due, sti = job
            if (vent := due - time.perf_counter()) > 0:
                time.sleep(vent)
            elif -vent > timeout:
                egne_fejl += 1  # waited longer than the timeout before a connection was free: lost
                continue
            try:
                status = _hent(conn, sti, headers)
            except (OSError, http.client.HTTPException):
                egne_fejl += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                continue
            mine.append(time.perf_counter() - due)
            egne_fejl += status >= 400
        with lock:
            tider.extend(mine)
            fejl[0] += egne_fejl

    traade = [threading.Thread(target=arbejder) for _ in range(forbindelser)]
    for t in traade:
        t.start()
    # Hand each request to the pool shortly before it is due (the pool's queue holds the backlog).
    for i in range(antal):
        due = start + i / rate
        if (vent := due - 0.005 - time.perf_counter()) > 0:
            time.sleep(vent)
        koe.put((due, stier[i % len(stier)]))
    for _ in traade:
        koe.put(None)
    for t in traade:
        t.join()
    res = _resultat(tider, fejl[0], time.perf_counter() - start)
    res["tilbudt"] = rate
    return res


def sql_replay(dsn: str, sqls: list[str], klienter: int, varighed: float, timeout: float = 10) -> dict:
    """The statements of one request, replayed by ``klienter`` threads; one "request" = one transaction."""
    import psycopg

    stop_t = time.monotonic() + varighed
    tider, fejl, lock = [], [0], threading.Lock()
    kun_laesning = all(s.lstrip().split(None, 1)[0].upper() in ("SELECT", "WITH") for s in sqls)

    def arbejder():
        mine, egne_fejl = [], 0
        with psycopg.connect(dsn, autocommit=True, options=f"-c statement_timeout={int(timeout * 1000)}") as conn:
            cur = conn.cursor()
            while time.monotonic() < stop_t:
                t0 = time.perf_counter()
                try:
                    if not kun_laesning:
                        cur.execute("BEGIN")
                    for sql in sqls:
                        cur.execute(sql)
                        if cur.description is not None:
                            cur.fetchall()
                    if not kun_laesning:
                        cur.execute("ROLLBACK")
                except psycopg.Error:
                    egne_fejl += 1
                    with contextlib.suppress(psycopg.Error):
                        cur.execute("ROLLBACK")
                    continue
                mine.append(time.perf_counter() - t0)
        with lock:
            tider.extend(mine)
            fejl[0] += egne_fejl

    start = time.monotonic()
    traade = [threading.Thread(target=arbejder) for _ in range(klienter)]
    for t in traade:
        t.start()
    for t in traade:
        t.join()
    return _resultat(tider, fejl[0], time.monotonic() - start)


def replaybar(captured: list[dict]) -> list[str]:
    """A request's captured statements without transaction control (the replay adds its own)."""
    ud = []
    for q in captured:
        sql = q["sql"].strip()
        forste = sql.split(None, 1)[0].upper() if sql else ""
        if forste in ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET"):
            continue
        ud.append(sql)
    return ud
