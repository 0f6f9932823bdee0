#!/usr/bin/env python3
"""Attribute check-jsonschema's errors to rules, by replaying its validation.

Usage (with the peers' Python, where check-jsonschema is installed):
    replay_jsonschema.py SCHEMA FILE...

check-jsonschema's JSON report carries an instance path and a message, not which subschema
failed, so the same schema is replayed with the same jsonschema library over documents loaded
by check-jsonschema's own YAML loader: schema_path -> allOf index -> that entry's $comment (the
rule id). Prints {"found": [[file name, rule, errors], ...], "per_file": {file name: errors}};
the caller checks per_file against the tool's own report.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

import jsonschema
from check_jsonschema.parsers.yaml import construct_yaml_implementation, impl2loader


def main(argv: list[str]) -> int:
    schema = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    rule_of = [sub["$comment"] for sub in schema["allOf"]]
    validator = jsonschema.Draft202012Validator(schema)
    load = impl2loader(construct_yaml_implementation())
    found: collections.Counter[tuple[str, str]] = collections.Counter()
    per_file: collections.Counter[str] = collections.Counter()
    for name in argv[1:]:
        path = Path(name)
        with path.open("rb") as fh:
            doc = load(fh)
        for err in validator.iter_errors(doc):
            if err.schema_path[0] != "allOf":
                raise SystemExit(f"{path}: an error outside allOf: {list(err.schema_path)}")
            found[(path.name, rule_of[err.schema_path[1]])] += 1
            per_file[path.name] += 1
    json.dump({"found": [[f, r, n] for (f, r), n in sorted(found.items())], "per_file": per_file}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
