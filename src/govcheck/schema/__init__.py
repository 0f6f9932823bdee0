"""JSON Schema to located problems: a fast yes/no check, the metaschema, formats."""
