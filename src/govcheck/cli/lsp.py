"""``govcheck lsp``: the language server, for editors (``docs/editors.md``)."""

from __future__ import annotations

import click

from govcheck.cli._options import policy_options
from govcheck.errors import UsageError

# What the server imports beyond govcheck's own dependencies: the ``lsp`` extra.
_EXTRA = ("pygls", "lsprotocol", "cattrs", "attrs")


@click.command(short_help="Run the language server (LSP over stdio) for editors.")
@policy_options
def lsp(*, packs: tuple[str, ...], plugins: tuple[str, ...]) -> None:
    """Speak the Language Server Protocol on standard input and output.

    An editor starts it: each open manifest is judged as govcheck check judges it (the
    repository's configuration included) on every change, with findings as diagnostics, the
    rule on hover and its remediation as a quick fix. Needs pip install 'govcheck[lsp]'.
    """
    try:
        from govcheck.lsp.server import serve
    except ImportError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing not in _EXTRA:
            raise
        raise UsageError(
            f"the language server needs {missing}, which is not installed: pip install 'govcheck[lsp]'"
        ) from None
    from govcheck.lsp.checker import Checker

    serve(Checker(packs, plugins))
