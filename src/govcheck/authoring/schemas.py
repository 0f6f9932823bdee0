"""The JSON Schemas govcheck ships, by the short names ``govcheck schema`` takes."""

from __future__ import annotations

import json
from collections.abc import Sequence

from govcheck.errors import UsageError
from govcheck.resources import data_dir

SCHEMAS: dict[str, str] = {
    "manifest": "pilot-manifest",
    "pack": "policy-pack",
    "waivers": "waivers",
    "baseline": "baseline",
    "findings": "findings",
    "config": "config",
    "portfolio": "portfolio",
    "history": "history",
}

# The manifest schema as ``govcheck init`` writes it beside a manifest, whose first line names it
# for editors (the yaml-language-server modeline, a path relative to the manifest). A file, not
# a URL: it is the installed govcheck's own schema, and it works without a network.
EDITOR_FILE = ".govcheck-manifest.schema.json"
MODELINE = f"yaml-language-server: $schema={EDITOR_FILE}"


def text(name: str) -> str:
    """The schema file exactly as shipped."""
    path = data_dir("schemas") / f"{SCHEMAS[name]}.schema.json"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise UsageError(
            f"the {name} schema ({path.name}) is not shipped with this installation of govcheck"
        ) from None


def manifest_for(tiers: Sequence[str], stages: Sequence[str]) -> str:
    """The manifest schema with the loaded packs' tiers and stages as enums, so an editor flags
    ``risk_tier: hihg`` as it is typed; ``retired`` stays a stage, as the manifest schema has it."""
    schema = json.loads(text("manifest"))
    spec = schema["properties"]["spec"]["properties"]
    named = [*stages, *(["retired"] if "retired" not in stages else [])]
    tier = spec["risk_tier"]
    tier["enum"] = list(tiers)
    tier.pop("examples", None)
    tier["description"] += f" The packs this schema was exported for define: {', '.join(tiers)}."
    spec["stage"]["enum"] = named
    schema["$defs"]["stage"]["enum"] = named
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
