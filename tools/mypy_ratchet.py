"""Run mypy and fail when any file has more type errors than `mypy-baseline.txt` allows (a ratchet).

The baseline holds, per file, how many errors it had when typing was introduced; it may only shrink. After
fixing errors run `python tools/mypy_ratchet.py --update` to lower it. New files start at zero. When a
more precise type in one module exposes errors in its callers, fix them, or raise their counts with
`--update --force` in the same commit and say why in its message.
Usage: python tools/mypy_ratchet.py [--update] [mypy arguments...]
"""

from __future__ import annotations

import collections
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error: ")


def run_mypy(args: list[str]) -> tuple[collections.Counter[str], dict[str, list[str]], str]:
    result = subprocess.run(  # noqa: S603 - our own interpreter running mypy with our arguments
        [sys.executable, "-m", "mypy", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    counts: collections.Counter[str] = collections.Counter()
    lines: dict[str, list[str]] = collections.defaultdict(list)
    for line in result.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            counts[match["path"]] += 1
            lines[match["path"]].append(line)
    if result.returncode not in (0, 1) or (result.returncode == 1 and not counts):
        return counts, lines, result.stdout + result.stderr  # mypy itself failed
    return counts, lines, ""


def read_baseline() -> dict[str, int]:
    if not BASELINE.exists():
        return {}
    found = {}
    for line in BASELINE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            path, _sep, count = line.rpartition(" ")
            found[path] = int(count)
    return found


def write_baseline(counts: collections.Counter[str]) -> None:
    header = "# mypy errors allowed per file (tools/mypy_ratchet.py); may only shrink\n"
    BASELINE.write_text(header + "".join(f"{path} {counts[path]}\n" for path in sorted(counts)))


def main(argv: list[str]) -> int:
    update = "--update" in argv
    args = [a for a in argv if a not in ("--update", "--force")]
    counts, lines, failure = run_mypy(args)
    if failure:
        print(failure)
        return 2
    baseline = read_baseline()
    if update:
        grown = {p: c for p, c in counts.items() if c > baseline.get(p, 0)}
        if grown and baseline and "--force" not in argv:
            print("refusing to raise the baseline for:", ", ".join(sorted(grown)))
            return 1
        write_baseline(counts)
        print(f"baseline: {sum(counts.values())} errors in {len(counts)} files")
        return 0
    worse = {p: c for p, c in counts.items() if c > baseline.get(p, 0)}
    for path in sorted(worse):
        print(f"{path}: {counts[path]} type errors, baseline allows {baseline.get(path, 0)}:")
        print("\n".join(f"  {line}" for line in lines[path]))
    better = sum(max(0, baseline[p] - counts.get(p, 0)) for p in baseline)
    total = sum(counts.values())
    print(f"mypy: {total} errors in {len(counts)} files (baseline {sum(baseline.values())})")
    if better and not worse:
        print(f"{better} fewer than the baseline: run `python tools/mypy_ratchet.py --update` to lock it in")
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
