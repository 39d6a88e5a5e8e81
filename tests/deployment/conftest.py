"""Shared by the deployment tests (make test-deployment): servers they start and stop themselves."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.faults.hjaelp import _pdeathsig

ROOT = Path(__file__).resolve().parents[2]


def mangler(hvad: str) -> None:
    """Something a deployment test needs is not installed: a failure in CI, a skip with the reason
    elsewhere (a developer's machine with only Python)."""
    besked = f"{hvad} (make test-deployment installs it; .ci/run does in CI)"
    if os.environ.get("CI"):
        pytest.fail(besked)
    pytest.skip(besked)


def fri_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vent_paa_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    slut = time.monotonic() + timeout
    while time.monotonic() < slut:
        if proc.poll() is not None:
            raise AssertionError(f"exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"port {port} did not open in {timeout:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")


class Proces:
    """A server the test starts: its own process group, dies with the test run, log in a file."""

    def __init__(self, argv: list[str], *, log: Path, env: dict | None = None, cwd: Path = ROOT):
        self.log = log
        self.fil = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=self.fil, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_pdeathsig,  # noqa: PLW1509
        )  # fmt: skip

    def tekst(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, timeout: float = 20) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        self.fil.close()


def node() -> str:
    exe = shutil.which("node")
    if exe is None:
        mangler("Node.js is not installed (Debian: apt-get install nodejs)")
    if not (ROOT / "tests" / "deployment" / "idp" / "node_modules" / "oidc-provider").is_dir():
        mangler("the test IdP's npm packages are missing (npm ci --prefix tests/deployment/idp)")
    return exe
