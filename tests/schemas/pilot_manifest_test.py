"""The pilot manifest JSON Schema accepts the benchmark corpus and rejects shape errors."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schemas" / "pilot-manifest.schema.json"
GENERATOR = ROOT / "bench" / "gen_corpus.py"
CORPUS_SIZE = 300


def _plain(node: Any) -> Any:
    """Turn loaded YAML into JSON-shaped data; YAML dates become ISO strings."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


def _load_yaml(path: Path) -> Any:
    return _plain(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def _errors(validator: Draft202012Validator, doc: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message}"
        for e in validator.iter_errors(doc)
    ]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(GENERATOR), str(CORPUS_SIZE), str(out)], check=True)
    files = sorted(out.glob("pilot-*.yaml"))
    assert len(files) == CORPUS_SIZE
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
    return {f.name: (_load_yaml(f), index[f.name]["defects"]) for f in files}


@pytest.fixture()
def manifest(corpus: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of a manifest without injected defects, to mutate."""
    name = next(n for n, (_, defects) in corpus.items() if not defects)
    return copy.deepcopy(corpus[name][0])


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:govcheck:schema:pilot-manifest:v1"
    assert schema["title"] and schema["description"]


def test_corpus_is_schema_valid(validator: Draft202012Validator, corpus: dict[str, Any]) -> None:
    failures = {name: errs for name, (doc, _) in corpus.items() if (errs := _errors(validator, doc))}
    assert failures == {}
    # The corpus exercises the leniency: manifests with missing or malformed fields stay schema-valid.
    assert sum(1 for _, defects in corpus.values() if defects) > CORPUS_SIZE // 2


def test_typo_key_is_an_error(validator: Draft202012Validator, manifest: dict[str, Any]) -> None:
    manifest["spec"]["risk_teir"] = manifest["spec"].pop("risk_tier")
    errors = _errors(validator, manifest)
    assert any("risk_teir" in e for e in errors), errors


def test_unknown_stage_is_an_error(validator: Draft202012Validator, manifest: dict[str, Any]) -> None:
    manifest["spec"]["stage"] = "pilott"
    errors = _errors(validator, manifest)
    assert any(e.startswith("spec/stage:") for e in errors), errors


def test_free_text_date_is_an_error(validator: Draft202012Validator, manifest: dict[str, Any]) -> None:
    manifest["spec"]["monitoring"]["last_review"] = "last week"
    errors = _errors(validator, manifest)
    assert any(e.startswith("spec/monitoring/last_review:") for e in errors), errors


def test_empty_owner_name_is_valid(validator: Draft202012Validator, manifest: dict[str, Any]) -> None:
    manifest["spec"]["ownership"]["business_owner"]["name"] = ""
    assert _errors(validator, manifest) == []


def test_presence_is_left_to_rules(validator: Draft202012Validator) -> None:
    minimal = {"apiVersion": "govcheck/v1", "kind": "AIPilot", "metadata": {}, "spec": {}}
    assert _errors(validator, minimal) == []
    assert _errors(validator, {"apiVersion": "govcheck/v1", "kind": "AIPilot", "metadata": {}}) != []


def test_extension_keys_are_accepted(validator: Draft202012Validator, manifest: dict[str, Any]) -> None:
    manifest["x-team"] = {"slack": "#denials"}
    manifest["spec"]["governance"]["x-ticket"] = "GOV-12"
    manifest["spec"]["success_metrics"][0]["x-notes"] = ["seasonal"]
    assert _errors(validator, manifest) == []


def _objects(node: Any, path: str = "#") -> Any:
    """Yield (json pointer, subschema) for every subschema of the schema."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key in ("properties", "patternProperties", "$defs"):
                for name, sub in value.items():
                    yield from _objects(sub, f"{path}/{key}/{name}")
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                yield from _objects(value, f"{path}/{key}")


def test_every_property_has_a_description(schema: dict[str, Any]) -> None:
    missing = []
    for path, node in _objects(schema):
        for name, sub in node.get("properties", {}).items():
            desc = sub.get("description")
            if not (isinstance(desc, str) and desc.strip()):
                missing.append(f"{path}/properties/{name}")
    assert missing == []


def test_every_object_is_closed_except_labels(schema: dict[str, Any]) -> None:
    open_objects = []
    for path, node in _objects(schema):
        if node.get("type") != "object" or path.endswith("/properties/labels"):
            continue
        if node.get("additionalProperties") is not False or "^x-" not in node.get("patternProperties", {}):
            open_objects.append(path)
    assert open_objects == []
