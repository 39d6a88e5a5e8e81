"""tools/devservices.py waits until PostgreSQL accepts connections, not only until its port is open
(issue 13: the first ``make run`` once failed because psql ran while the server was starting up)."""

import importlib.util
import socket
import stat
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("devservices", ROOT / "tools" / "devservices.py")
devservices = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(devservices)


class _Lebendig:
    def alive(self) -> bool:
        return True


def test_venter_til_postgresql_tager_imod_forbindelser_ikke_kun_til_porten_er_aaben(tmp_path):
    # A "server" whose port is open at once but which answers "starting up" to its first two probes.
    tael = tmp_path / "forsoeg"
    pg_isready = tmp_path / "pg_isready"
    pg_isready.write_text(
        "#!/bin/sh\n"
        f'echo x >> "{tael}"\n'
        f'[ "$(wc -l < "{tael}")" -ge 3 ] && exit 0\n'
        'echo "the database system is starting up" >&2\n'
        "exit 1\n"
    )
    pg_isready.chmod(pg_isready.stat().st_mode | stat.S_IEXEC)
    with socket.socket() as lytter:
        lytter.bind(("127.0.0.1", 0))
        lytter.listen()
        port = lytter.getsockname()[1]
        devservices.Services._wait_for_port(port, _Lebendig(), "postgres")  # the port is open ...
        assert not tael.exists()
        devservices.Services._wait_for_postgres(tmp_path, port, _Lebendig(), "postgres")  # ... ready only now
    assert len(tael.read_text().splitlines()) == 3
