"""Tools for the people who write policy packs: lint, fixture tests, rule docs, lock files.

One idea per module; the click commands in ``govcheck.cli`` are thin layers over them.
"""
