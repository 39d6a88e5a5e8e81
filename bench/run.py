"""`make bench` entry point (see bench/README.md and docs/performance.md).

make bench                                     # the full run: municipality of 50,000 forløb, one table
make bench BENCH_ARGS="--forloeb 10000"        # the full run at another size
make bench BENCH_ARGS="--sizes 10000,50000,200000"   # the full run per size + growth table
make bench BENCH_ARGS="sweep --rows 1000000"   # only the deadline sweep (own data set)
make bench BENCH_ARGS="pdf --n 30"             # only the decision PDF render
make bench BENCH_ARGS="dashboard --forloeb 50000"  # only the team-leader dashboard
"""

import os
import sys
from pathlib import Path

# Generating a municipality of 200,000 or 1,000,000 forløb runs single statements for minutes:
# the bench's own throw-away database has no statement limit unless the caller sets one.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCHES = {"sweep": "bench.sweep", "pdf": "bench.pdf", "dashboard": "bench.dashboard", "full": "bench.full"}


def main(argv: list[str]) -> int:
    import importlib

    if not argv or argv[0].startswith("-"):
        argv = ["full", *argv]
    if argv[0] not in BENCHES:
        print(__doc__)
        return 2
    if argv[0] == "full":
        from bench.belastning import wrk

        if not wrk() and not os.environ.get("BENCH_NO_WRK"):
            # The fallback load generator shares the cores with the server and lowers its figures
            # (docs/performance.md, the run of 2026-12-03).
            print(
                "NOTE: wrk is not installed: the load comes from Python threads on the same cores, and the "
                "throughput and c16 figures are not comparable with a wrk run (Debian: apt-get install wrk).",
                file=sys.stderr,
            )
        return importlib.import_module("bench.full").main(argv[1:]) or 0
    return importlib.import_module(BENCHES[argv[0]]).main(argv) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
