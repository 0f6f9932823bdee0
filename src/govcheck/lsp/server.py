"""The language server: pygls over stdio, judging each open manifest as it changes.

A document is judged again on open, on every change and on save, synchronously: a manifest
takes a few milliseconds once the policy is compiled, so there is nothing to debounce, and
diagnostics always describe the text the client has. What keeps a document from being judged
(a broken configuration or pack, an internal error) is one diagnostic at its first line and a
log message, never the end of the server.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from govcheck import __version__
from govcheck.errors import GovcheckError
from govcheck.lsp.actions import quick_fixes
from govcheck.lsp.checker import Checked, Checker
from govcheck.lsp.diagnostics import diagnostics, problem
from govcheck.lsp.hover import hover_markdown


class GovcheckServer(LanguageServer):
    def __init__(self, checker: Checker) -> None:
        super().__init__(
            "govcheck", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.checker = checker
        self.checked: dict[str, Checked] = {}  # by URI: what the last diagnostics were made from

    def units(self, text: str) -> int:
        return int(self.workspace.position_codec.client_num_units(text))

    def folders(self) -> list[Path]:
        uris = [f.uri for f in self.workspace.folders.values()]
        paths = [to_fs_path(uri) for uri in uris]
        root = self.workspace.root_path
        return [Path(p) for p in (*paths, root) if p]

    def publish(self, uri: str) -> None:
        """Judge the document's current text and send its diagnostics."""
        path = to_fs_path(uri)
        if path is None:  # not a file (an untitled buffer): no repository, no configuration to judge it by
            return
        document = self.workspace.get_text_document(uri)
        text = document.source
        self.checked.pop(uri, None)
        try:
            checked = self.checker.check(text, Path(path), self.folders())
            found = diagnostics(checked, text, self.units)
            self.checked[uri] = checked
        except GovcheckError as exc:
            found = [problem(f"govcheck cannot judge this file: {exc}")]
        except Exception as exc:  # the one boundary: a bug must cost a diagnostic, not the server
            self.log(f"govcheck: internal error judging {path}:\n{traceback.format_exc()}")
            found = [
                problem(f"govcheck: internal error: {type(exc).__name__}: {exc} (the log has the details)")
            ]
        params = types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
        self.text_document_publish_diagnostics(params)

    def forget(self, uri: str) -> None:
        self.checked.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def log(self, message: str) -> None:
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=message))


def build(checker: Checker) -> GovcheckServer:
    """A server with its features registered (on this instance: nothing registers on import)."""
    server = GovcheckServer(checker)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GovcheckServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GovcheckServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: GovcheckServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)  # evidence files may have appeared meanwhile

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GovcheckServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: GovcheckServer, params: types.HoverParams) -> types.Hover | None:
        checked = ls.checked.get(params.text_document.uri)
        text = hover_markdown(checked, params.position.line) if checked is not None else None
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: GovcheckServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        checked = ls.checked.get(uri)
        if checked is None:
            return []
        text = ls.workspace.get_text_document(uri).source
        lines = range(params.range.start.line, params.range.end.line + 1)
        return quick_fixes(checked, text, uri, lines, ls.units, params.context.diagnostics)

    return server


def serve(checker: Checker) -> None:
    """Speak LSP on standard input and output until the client says exit.

    Standard output carries the protocol alone: anything else printing to it (a plugin) goes
    to standard error instead, where clients show it as the server's log.
    """
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr
    build(checker).start_io(sys.stdin.buffer, protocol_out)
