"""Files to documents with positions: YAML read safely, manifests found and loaded. Knows no policy."""
