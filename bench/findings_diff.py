"""Snapshot the findings on every report in tests/fixtures, and compare two snapshots.

A refactor must not change what the linter says where it was right: take a
snapshot before, one after, and diff them.  Every difference must be a fix
named in a commit.

    python bench/findings_diff.py snapshot before.json     # on the old code
    python bench/findings_diff.py snapshot after.json      # on the new code
    python bench/findings_diff.py diff before.json after.json

A snapshot holds, for each file, the JSON findings (positions, code, rule,
severity, data) with the message in Chinese and in English, from a check with
no configuration and no cache, the folder ``tests/fixtures/real`` given as
``--previous`` so that the cross-year rules run too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
NOT_REPORTS = {".yaml", ".yml", ".json", ".md"}


def report_files() -> list[str]:
    files = [p for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix.lower() not in NOT_REPORTS]
    return [str(p.relative_to(ROOT)) for p in files if p.name != "README.md"]


def _check(files: list[str], lang: str) -> list[dict]:
    cmd = [sys.executable, "-m", "xxgk_lint", "check", "--format", "json", "--isolated", "--no-cache",
           "--lang", lang, "--timeout", "0", "-j", "2", "--previous", "tests/fixtures/real", *files]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    # exit 2 is also what unreadable files (tests/fixtures/hostile) give; the JSON is still whole
    if done.returncode not in (0, 1, 2) or not done.stdout.strip():
        sys.exit(f"check failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def snapshot(out: Path) -> None:
    files = report_files()
    zh, en = _check(files, "zh"), _check(files, "en")
    by_file: dict[str, list[dict]] = {f: [] for f in files}
    for item_zh, item_en in zip(zh, en):
        item = dict(item_zh)
        item["message_en"] = item_en["message"]
        by_file.setdefault(item.pop("path"), []).append(item)
    out.write_text(json.dumps(by_file, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{sum(map(len, by_file.values()))} findings on {len(by_file)} files -> {out}")


def _key(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False, sort_keys=True)


def diff(before: Path, after: Path) -> int:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    changed = 0
    for path in sorted(set(old) | set(new)):
        gone = sorted({_key(i) for i in old.get(path, [])} - {_key(i) for i in new.get(path, [])})
        came = sorted({_key(i) for i in new.get(path, [])} - {_key(i) for i in old.get(path, [])})
        if path not in old or path not in new:
            print(f"== {path}: only in {'after' if path not in old else 'before'}")
        if gone or came:
            changed += 1
            print(f"== {path}")
            for line in gone:
                print(f"  - {line}")
            for line in came:
                print(f"  + {line}")
    print(f"{changed} file(s) differ")
    return 1 if changed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("snapshot").add_argument("out", type=Path)
    d = sub.add_parser("diff")
    d.add_argument("before", type=Path)
    d.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.out)
        return 0
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
