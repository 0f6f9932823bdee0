"""``govcheck lsp`` end to end: a real client (pytest-lsp) talking to the server over stdio.

A policy finding shows as a diagnostic at its line; its quick fix, applied and sent back as a
change, makes that diagnostic go; hover shows the rule; a broken buffer is a GC-PARSE
diagnostic and the server goes on working.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parents[2]
FAILING = ROOT / "examples" / "failing"
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "pilot-repo"
    shutil.copytree(FAILING, repo)
    (repo / ".git").mkdir()
    return repo


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "govcheck", "lsp"]),
    params=["visual-studio-code", "neovim"],
)
async def client(
    lsp_client: LanguageClient, request: pytest.FixtureRequest, repo: Path
) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=repo.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=repo.as_uri(), name="pilot-repo")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def opened(client: LanguageClient, path: Path, text: str) -> Sequence[types.Diagnostic]:
    item = types.TextDocumentItem(uri=path.as_uri(), language_id="yaml", version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    await client.wait_for_notification(PUBLISH)
    return client.diagnostics[path.as_uri()]


async def changed(client: LanguageClient, path: Path, text: str, version: int) -> Sequence[types.Diagnostic]:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.wait_for_notification(PUBLISH)
    return client.diagnostics[path.as_uri()]


def applied(text: str, edits: Sequence[types.TextEdit]) -> str:
    """The text with the edits made, last first (the manifest is ASCII: code units are characters)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        begin = starts[edit.range.start.line] + edit.range.start.character
        end = starts[edit.range.end.line] + edit.range.end.character
        text = text[:begin] + edit.new_text + text[end:]
    return text


def by_code(diagnostics: Sequence[types.Diagnostic], code: str) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.code == code]


@pytest.mark.asyncio
async def test_a_finding_its_fix_and_its_rule_in_the_editor(client: LanguageClient, repo: Path) -> None:
    path = repo / "pilot.yaml"
    text = path.read_text(encoding="utf-8")
    found = await opened(client, path, text)
    # WF-005, a policy rule (not the schema): the reviewer role is missing from human_review on line 49.
    (review,) = by_code(found, "WF-005")
    assert review.range.start == types.Position(line=48, character=4)
    assert review.source == "govcheck" and review.severity == types.DiagnosticSeverity.Warning
    assert review.code_description is not None
    assert review.code_description.href.endswith("/docs/rules/healthcare-ai-baseline.md#wf-005")
    assert not by_code(found, "GC-SCHEMA") and by_code(found, "MON-002")

    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=review.range.start
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**WF-005: The reviewer role is named**" in hover.contents.value
    assert "*Why*" in hover.contents.value and "reviewer_role: attending physician" in hover.contents.value

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=review.range,
            context=types.CodeActionContext(diagnostics=[review]),
        )
    )
    assert actions is not None
    (fix,) = [a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith("Add what WF-005")]
    assert fix.kind == types.CodeActionKind.QuickFix and list(fix.diagnostics or ()) == [review]
    assert fix.edit is not None and fix.edit.changes is not None
    fixed = applied(text, fix.edit.changes[path.as_uri()])
    assert "override_capture: true, reviewer_role: attending physician}" in fixed

    after = await changed(client, path, fixed, 2)
    assert not by_code(after, "WF-005")
    assert by_code(after, "WF-001") and by_code(after, "MON-002")  # the fix changed nothing else


@pytest.mark.asyncio
async def test_a_broken_buffer_is_a_parse_diagnostic_and_the_server_goes_on(
    client: LanguageClient, repo: Path
) -> None:
    path = repo / "pilot.yaml"
    text = path.read_text(encoding="utf-8")
    await opened(client, path, text)
    broken = text.replace("  risk_tier: moderate\n", "  risk_tier: [moderate\n")
    (parse,) = await changed(client, path, broken, 2)
    assert parse.code == "GC-PARSE" and parse.severity == types.DiagnosticSeverity.Error
    again = await changed(client, path, text, 3)
    assert by_code(again, "WF-005") and not by_code(again, "GC-PARSE")


@pytest.mark.asyncio
async def test_a_broken_configuration_is_one_diagnostic_until_it_is_fixed(
    client: LanguageClient, repo: Path
) -> None:
    path = repo / "pilot.yaml"
    text = path.read_text(encoding="utf-8")
    (repo / ".govcheck.yaml").write_text("packs: [./no-such-pack.yaml]\n", encoding="utf-8")
    (problem,) = await opened(client, path, text)
    assert (
        problem.message.startswith("govcheck cannot judge this file:") and "no-such-pack" in problem.message
    )
    (repo / ".govcheck.yaml").write_text("severity: {WF-005: error}\n", encoding="utf-8")
    (review,) = by_code(await changed(client, path, text, 2), "WF-005")
    assert review.severity == types.DiagnosticSeverity.Error


# The server's own evaluator, made to fail on one marker: a bug in govcheck, as the server meets it.
CRASHING = """
import sys
from govcheck.lsp import checker

judge = checker.Checker.check

def check(self, text, path, folders=()):
    if "crash-here" in text:
        raise RuntimeError("a bug")
    return judge(self, text, path, folders)

checker.Checker.check = check
from govcheck.cli import main
sys.exit(main(["lsp"]))
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-c", CRASHING]))
async def crashing(lsp_client: LanguageClient, repo: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"), root_uri=repo.as_uri())
    )
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_an_internal_error_is_a_diagnostic_and_a_log_message_not_the_end(
    crashing: LanguageClient, repo: Path
) -> None:
    path = repo / "pilot.yaml"
    text = path.read_text(encoding="utf-8")
    (problem,) = await opened(crashing, path, text + "# crash-here\n")
    assert problem.message.startswith("govcheck: internal error: RuntimeError: a bug")
    assert any("RuntimeError: a bug" in m.message for m in crashing.log_messages)
    assert by_code(await changed(crashing, path, text, 2), "WF-005")
