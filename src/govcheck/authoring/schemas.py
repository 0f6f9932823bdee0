"""The JSON Schemas govcheck ships, by the short names ``govcheck schema`` takes."""

from __future__ import annotations

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
