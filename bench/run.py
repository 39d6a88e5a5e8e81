"""`make bench` entry point: `make bench BENCH_ARGS="sweep --rows 1000000"` (see bench/README.md)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCHES = {"sweep": "bench.sweep", "pdf": "bench.pdf"}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in BENCHES:
        print(f'usage: make bench BENCH_ARGS="<{"|".join(BENCHES)}> [options]"')
        return 2
    import importlib

    return importlib.import_module(BENCHES[argv[0]]).main(argv) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
