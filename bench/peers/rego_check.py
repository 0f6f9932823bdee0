#!/usr/bin/env python3
"""Check pilot manifests against a Rego policy with regopy (rego-cpp), as a pre-commit hook would.

Usage: rego_check.py --policy peers/pilot.rego [--today YYYY-MM-DD] [--format text|json] PATH...

PATH is a manifest or a directory (its *.yaml and *.yml files, recursively). The policy is
compiled once into a bundle for the query data.govbench.violations; each manifest is parsed
with PyYAML's libyaml loader (timestamps kept as strings, as JSON-based tools see them) and
evaluated as `input`. Exit status: 0 no violation, 1 violations or unreadable files, 2 usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import regopy
import yaml

QUERY = "data.govbench.violations"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader that leaves dates as strings (Rego input is JSON)."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)


def manifests(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.suffix in (".yaml", ".yml")))
        else:
            found.append(p)
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--policy", required=True, type=Path)
    ap.add_argument("--today", default=dt.date.today().isoformat())
    ap.add_argument("--format", choices=["text", "json"], default="text")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args(argv)

    builder = regopy.Interpreter()
    builder.add_data({"govbench_config": {"today": args.today}})
    builder.add_module(args.policy.name, args.policy.read_text(encoding="utf-8"))
    bundle = builder.build(QUERY, [])
    rego = regopy.Interpreter()

    findings: list[dict] = []
    failed = False
    for path in manifests(args.paths):
        try:
            doc = yaml.load(path.read_bytes(), Loader=_Loader)
        except (OSError, yaml.YAMLError) as exc:
            print(f"{path}: cannot read: {exc}", file=sys.stderr)
            failed = True
            continue
        rego.set_input(doc)
        out = rego.query_bundle(bundle)
        if not out.ok():
            print(f"{path}: policy error: {out}", file=sys.stderr)
            failed = True
            continue
        for v in json.loads(out.expressions().json())[0]:
            findings.append({"file": str(path), **v})

    findings.sort(key=lambda f: (f["file"], f["rule"], f["path"]))
    if args.format == "json":
        json.dump(findings, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for f in findings:
            print(f"{f['file']}: {f['rule']} {f['path']}: {f['message']}")
        print(f"{len(findings)} violation(s)")
    return 1 if findings or failed else 0


if __name__ == "__main__":
    sys.exit(main())
