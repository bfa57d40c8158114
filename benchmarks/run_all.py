"""Run every benchmark in turn (``make bench``); pass ``--quick`` for the short versions.

Each script prints its own tables and writes ``benchmarks/results/*.md``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = ["bench_foundation.py", "bench_samplers.py", "bench_ridge.py", "bench_equivalence.py"]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    quick = ["--quick"] if "--quick" in argv else []
    failed = []
    for script in SCRIPTS:
        path = os.path.join(HERE, script)
        if not os.path.exists(path):
            continue
        args = [] if script == "bench_foundation.py" else quick
        print(f"\n=== {script} {' '.join(args)}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, path, *args], cwd=HERE)
        print(f"=== {script}: exit {rc}, {time.perf_counter() - t0:.0f} s", flush=True)
        if rc:
            failed.append(script)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
