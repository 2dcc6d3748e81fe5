"""Every benchmark in sequence, one at a time (they share two cores), with their durations.

quality -> answerability -> answerability_models -> tables -> latency -> restoration -> recipe
-> speed -> work -> scale -> load -> workers -> insights. Each script prints its own figures and
writes benchmarks/out/NAME.json; this one adds out/run_all.json with the duration and exit
status of each. `--million` is passed to scale only (adds the 1M-chunk step, which is not
part of the 30-minute budget).

    python -m benchmarks.run_all [--million] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from benchmarks.common import REPO, machine, write_json

SCRIPTS = [
    "quality",
    "answerability",
    "answerability_models",
    "tables",
    "latency",
    "restoration",
    "recipe",
    "speed",
    "work",
    "scale",
    "load",
    "workers",
    "insights",
]
BUDGET_MINUTES = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--million", action="store_true", help="scale: add 1,000,000 chunks")
    parser.add_argument("--only", nargs="+", choices=SCRIPTS, help="run only these scripts")
    args = parser.parse_args()

    runs = []
    started = time.perf_counter()
    for name in args.only or SCRIPTS:
        command = [sys.executable, "-m", f"benchmarks.{name}"]
        if name == "scale" and args.million:
            command.append("--million")
        print(f"\n##### {name}: {' '.join(command[1:])}", flush=True)
        t0 = time.perf_counter()
        code = subprocess.run(command, cwd=REPO).returncode
        seconds = round(time.perf_counter() - t0, 1)
        runs.append({"script": name, "exit_code": code, "seconds": seconds})
        print(f"##### {name}: exit {code} after {seconds} s", flush=True)
    total = time.perf_counter() - started

    print("\nscript        exit   seconds")
    for run in runs:
        print(f"{run['script']:12s}{run['exit_code']:6d}{run['seconds']:10.1f}")
    minutes = total / 60
    within = minutes <= BUDGET_MINUTES
    print(
        f"total {minutes:.1f} min (budget {BUDGET_MINUTES} min"
        f"{'' if within else ', EXCEEDED'}{', 1M step included' if args.million else ''})"
    )
    write_json(
        "run_all",
        {
            "machine": machine(),
            "million": args.million,
            "total_minutes": round(minutes, 1),
            "runs": runs,
        },
    )
    if any(run["exit_code"] for run in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
