"""Helpers of the fault tests: a real Celery worker subprocess, control of the Redis and PostgreSQL
servers that tools/devservices.py started, and patient polling (the CI machine's CPU is shared)."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def vent_paa(predicate, timeout: float = 60.0, besked: str = "timed out"):
    """Poll until ``predicate()`` is truthy; return its value."""
    slut = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > slut:
            raise AssertionError(besked)
        time.sleep(0.1)


def url_til_testdatabasen() -> str:
    """DATABASE_URL pointing at pytest-django's test database (``test_<name>``)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def redis_klient() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=5)


def toem_koeen() -> None:
    """No stale messages from earlier tests: every queue and the unacked (in-flight) set."""
    r = redis_klient()
    r.delete(*settings.KOEER, "unacked", "unacked_index", "unacked_mutex")


def _pdeathsig(sig=signal.SIGTERM):
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, sig)  # PR_SET_PDEATHSIG: never outlive the test run


class Worker:
    """``celery -A tests.faults.celery_app worker --pool=prefork -c 1`` on the test database."""

    def __init__(self, hold_dir: Path | None = None, hold: str = "", navn: str = "faults"):
        self.log = Path(tempfile.mkstemp(prefix="faults-worker-", suffix=".log")[1])
        env = dict(os.environ)
        env |= {
            "DATABASE_URL": url_til_testdatabasen(),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONUNBUFFERED": "1",
        }
        if hold_dir is not None:
            env["FAULTS_HOLD_DIR"] = str(hold_dir)
            env["FAULTS_HOLD"] = hold
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "tests.faults.celery_app", "worker",
                "--pool=prefork", "-c", "1", "--loglevel=INFO", "-f", str(self.log),
                "--without-heartbeat", "--without-mingle", "--without-gossip", "-n", f"{navn}-{os.getpid()}@%h",
            ],
            env=env, cwd=ROOT, start_new_session=True, preexec_fn=_pdeathsig,  # noqa: PLW1509
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        vent_paa(self._klar, 120, f"the worker did not start; see {self.log}")

    def _klar(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"the worker exited ({self.proc.returncode}); see {self.log}:\n{self.tekst()}")
        return " ready." in self.tekst()

    def tekst(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def draeb_alt(self) -> None:
        """SIGKILL the whole worker (main process and pool children): nothing gets to ack or reject."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.draeb_alt()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        if not os.environ.get("FAULTS_KEEP_LOGS"):
            self.log.unlink(missing_ok=True)


def vent_paa_port(port: int, timeout: float = 60.0, aaben: bool = True) -> None:
    def tjek():
        with socket.socket() as s:
            s.settimeout(1)
            return (s.connect_ex(("127.0.0.1", port)) == 0) == aaben

    vent_paa(tjek, timeout, f"port {port} did not {'open' if aaben else 'close'}")


# --- Redis ------------------------------------------------------------------------------------
class RedisServer:
    """Stop the Redis the test run uses and start it again on the same port (empty, as after a crash
    without persistence: what was queued is gone, which is the harder case)."""

    def __init__(self):
        info = redis_klient().info("server")
        self.port = int(info["tcp_port"])
        self.executable = info["executable"]
        self.proc: subprocess.Popen | None = None

    def stop(self) -> None:
        with contextlib.suppress(redis.exceptions.ConnectionError):
            redis_klient().shutdown(nosave=True)
        vent_paa_port(self.port, aaben=False)

    def start(self) -> None:
        self.mappe = tempfile.mkdtemp(prefix="faults-redis-")
        self.proc = subprocess.Popen(
            [self.executable, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--loglevel", "warning", "--dir", self.mappe],
            start_new_session=True, preexec_fn=_pdeathsig,  # noqa: PLW1509
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        atexit.register(self._stop_ved_afslutning)
        vent_paa_port(self.port)

    def _stop_ved_afslutning(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)
        shutil.rmtree(self.mappe, ignore_errors=True)


# --- PostgreSQL -------------------------------------------------------------------------------
PG_SYSTEM_USER = "embedded_postgres"


def _som_pg_bruger():
    try:
        user = pwd.getpwnam(PG_SYSTEM_USER) if os.geteuid() == 0 else None
    except KeyError:
        user = None

    def preexec():
        if user is not None:
            os.setgid(user.pw_gid)
            os.setgroups([])
            os.setuid(user.pw_uid)
        _pdeathsig(signal.SIGINT)  # after setuid, which clears it; SIGINT = fast shutdown

    return preexec


class PostgresServer:
    """Restart the PostgreSQL the test run uses, in place: same data directory, port and options
    (read from ``postmaster.opts``). The new postmaster is this process's child; it is shut down
    cleanly when the test run ends (after pytest-django has dropped the test database)."""

    def __init__(self):
        with connection.cursor() as cur:
            cur.execute("SHOW data_directory")
            self.pgdata = Path(cur.fetchone()[0])
            cur.execute("SHOW port")
            self.port = int(cur.fetchone()[0])
        self.proc: subprocess.Popen | None = None

    def _pid(self) -> int:
        return int((self.pgdata / "postmaster.pid").read_text().splitlines()[0])

    def _argv(self) -> list[str]:
        import shlex

        return shlex.split((self.pgdata / "postmaster.opts").read_text())

    def stop(self, mode: str = "fast") -> None:
        """``fast``: SIGINT, clean shutdown (pg_ctl stop -m fast); ``immediate``: SIGQUIT, a crash
        that needs WAL recovery on the next start (pg_ctl stop -m immediate)."""
        pid = self._pid()
        os.kill(pid, signal.SIGINT if mode == "fast" else signal.SIGQUIT)

        def borte():
            if self.proc is not None and self.proc.pid == pid:
                return self.proc.poll() is not None
            try:  # devservices' child: a zombie until devservices reaps it at the end
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                return True
            return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")

        vent_paa(borte, 60, "postgres did not stop")
        vent_paa_port(self.port, aaben=False)

    def koerer(self) -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def start(self, *ekstra: str) -> None:
        argv = self._argv() + list(ekstra)
        self.proc = subprocess.Popen(
            argv, preexec_fn=_som_pg_bruger(), start_new_session=True,  # noqa: PLW1509
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        atexit.register(self._stop_ved_afslutning, self.proc)
        vent_paa_port(self.port)

    @staticmethod
    def _stop_ved_afslutning(proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(30)
