"""Run every benchmark: ``python -m bench [--quick] [AREA ...]``.

Each module ``bench/bench_<area>.py`` has ``TITLE`` and ``run(quick: bool) -> list[Table]``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

from bench.common import pin_threads

pin_threads()  # before any contender imports numpy, numexpr, numba or jax


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).parent
    areas = sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules([str(here)])
                   if m.name.startswith("bench_"))
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("areas", nargs="*", choices=areas + [[]], metavar="AREA",
                        help=f"areas to run (default all): {', '.join(areas)}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args(argv)
    chosen = args.areas or areas
    from bench.common import machine_summary

    print(machine_summary(), "\n", flush=True)
    start = time.perf_counter()
    for area in chosen:
        module = importlib.import_module(f"bench.bench_{area}")
        print(f"# {module.TITLE}\n", flush=True)
        t0 = time.perf_counter()
        for table in module.run(quick=args.quick):
            print(table.render(), "\n", flush=True)
        print(f"({area}: {time.perf_counter() - t0:.1f} s)\n", flush=True)
    print(f"(all: {time.perf_counter() - start:.0f} s wall time)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
