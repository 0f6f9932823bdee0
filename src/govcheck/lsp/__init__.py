"""``govcheck lsp``: the policy in the editor.

A language server over stdio that judges a manifest as ``govcheck check`` would, on the unsaved
text, every time it changes: the findings as diagnostics, a rule's documentation on hover, and
its remediation as a quick fix. ``checker`` and ``merge`` are plain govcheck; only ``server``
and the modules that speak the protocol import pygls, an optional dependency (``govcheck[lsp]``).
"""
