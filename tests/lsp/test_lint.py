"""The linter through the server: its findings as diagnostics, its fixes as quick fixes ("fix all of
this kind", fix all), "suppress CODE here", and its configuration from the editor and dbdsl.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.helpers import SAMPLES

from .client import config, eventually, open_doc, position, published, pull_diagnostics, start, uri

pytestmark = pytest.mark.asyncio(loop_scope="module")
FLAWED = (SAMPLES / "flawed.dbml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lint")


@pytest_lsp.fixture(config=config(), scope="module")
async def client(lsp_client: LanguageClient, project: Path):
    await start(lsp_client, project)
    yield
    await lsp_client.shutdown_session()


def change(client: LanguageClient, doc: str, version: int, edits: list[lsp.TextEdit]) -> None:
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=doc, version=version),
            content_changes=[
                lsp.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)
            ],
        )
    )


async def actions_at(client: LanguageClient, doc: str, at: lsp.Position, shown: list) -> list[lsp.CodeAction]:
    return await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=doc),
            range=lsp.Range(start=at, end=at),
            context=lsp.CodeActionContext(diagnostics=shown, only=[lsp.CodeActionKind.QuickFix]),
        )
    )


async def test_findings_fixes_and_suppression(client: LanguageClient, project: Path) -> None:
    doc = open_doc(client, project / "flawed.dbml", FLAWED)
    diagnostics = await published(client, doc, 1)
    codes = {d.code for d in diagnostics}
    assert {"C109", "N101", "T101", "T104"} <= codes
    email = next(d for d in diagnostics if d.code == "C109")
    assert email.range.start == position(FLAWED, "\n  email ", 3)
    actions = await actions_at(client, doc, email.range.start, [email])
    titles = [a.title for a in actions]
    unique = "Make 'email' unique (unsafe: changes what data the schema accepts)"
    assert unique in titles and "Suppress C109 here" in titles
    assert not any(t.startswith("Fix all") for t in titles)  # an unsafe fix is only offered alone
    fix = next(a for a in actions if a.title == unique)
    assert list(fix.diagnostics) == [email] and not fix.is_preferred
    # I101 (a safe fix: add an index) appears on several foreign keys: one action fixes them all
    i101 = next(d for d in diagnostics if d.code == "I101")
    actions = await actions_at(client, doc, i101.range.start, [i101])
    fix_all = next(a for a in actions if a.title == "Fix all I101 problems in this file")
    (edit,) = fix_all.edit.document_changes
    assert len(edit.edits) == sum(1 for d in diagnostics if d.code == "I101")
    # suppress: the comment goes on the line above, with its indentation; the finding is gone
    suppress = next(a for a in await actions_at(client, doc, email.range.start, [email]) if a.title.startswith("Sup"))
    (edit,) = suppress.edit.document_changes
    assert [e.new_text for e in edit.edits] == ["  // dbdsl: ignore[C109]\n"]
    change(client, doc, 2, list(edit.edits))
    after = await published(client, doc, 2)
    moved = email.range.start.line + 1
    assert not any(d.code == "C109" and d.range.start.line == moved for d in after)
    assert len(after) == len(diagnostics) - 1


async def test_settings_and_the_project_configuration(client: LanguageClient, project: Path) -> None:
    doc = uri(project / "flawed.dbml")

    async def pulled() -> list:
        return await pull_diagnostics(client, doc)

    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"dbdsl": {"lint": {"ignore": ["T"]}}})
    )
    items = await eventually(pulled, lambda items: not any(d.code.startswith("T") for d in items))
    assert any(d.code == "N101" for d in items)
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings={"dbdsl": {"lint": {}}}))
    (project / "dbdsl.toml").write_text('ignore = ["N"]\n')
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            changes=[lsp.FileEvent(uri=uri(project / "dbdsl.toml"), type=lsp.FileChangeType.Created)]
        )
    )
    items = await eventually(pulled, lambda items: not any(d.code.startswith("N") for d in items))
    (project / "dbdsl.toml").write_text("ignore = [\n")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            changes=[lsp.FileEvent(uri=uri(project / "dbdsl.toml"), type=lsp.FileChangeType.Changed)]
        )
    )

    async def logged() -> list[str]:
        return [m.message for m in client.log_messages]

    await eventually(logged, lambda messages: any("not valid TOML" in m for m in messages))
    items = await pulled()
    assert any(d.code.startswith("N") for d in items)  # the defaults meanwhile
