"""Document sync and diagnostics: incremental edits in UTF-16, versions, debouncing, push and pull,
files that import each other, files changed on disk, settings."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .client import config, errors, eventually, expected_findings, open_doc, position, published, start, uri

pytestmark = pytest.mark.asyncio(loop_scope="module")

EMOJI = """\
Table users {
  id int [pk]
  name text [note: '😀 漢字 𝄞', ref: > nope.id]
}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sync")


@pytest_lsp.fixture(config=config(), scope="module")
async def client(lsp_client: LanguageClient, project: Path):
    await start(lsp_client, project, options={"dialect": "klingon", "hover": {"images": "yes"}})
    yield
    await lsp_client.shutdown_session()


def change(client: LanguageClient, doc_uri: str, version: int, start: lsp.Position, end: lsp.Position, text: str):
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=doc_uri, version=version),
            content_changes=[lsp.TextDocumentContentChangePartial(range=lsp.Range(start=start, end=end), text=text)],
        )
    )


def fresh(path: Path, text: str) -> list[tuple]:
    """What a fresh analysis of `text` reports (with the linter's findings)."""
    return [(f.code, f.message) for f in expected_findings(path, text)]


async def test_squiggle_after_emoji_and_cjk_on_the_same_line(client: LanguageClient, project: Path) -> None:
    doc = open_doc(client, project / "emoji.dbml", EMOJI)
    (d,) = errors(await published(client, doc, 1))
    assert d.code == "E101"
    # 😀 and 𝄞 are two UTF-16 units each, 漢 and 字 one
    line = EMOJI.split("\n")[2]
    before = line[: line.index("nope")]
    assert d.range.start == lsp.Position(line=2, character=len(before) + 2)
    assert d.range.end.character - d.range.start.character == 4


async def test_incremental_edits_in_utf16(client: LanguageClient, project: Path) -> None:
    text = EMOJI
    doc = open_doc(client, project / "edits.dbml", text)
    await published(client, doc, 1)
    # replace `nope` (after the emoji) with `users`: the range is in UTF-16 units
    at = position(text, "nope")
    change(client, doc, 2, at, lsp.Position(line=at.line, character=at.character + 4), "users")
    text = text.replace("nope", "users")
    assert errors(await published(client, doc, 2)) == []
    # insert a column after the 𝄞 string, mid-line, then a line break in the middle of a CJK note
    at = position(text, "', ref")
    change(client, doc, 3, at, at, " 字")
    text = text.replace("', ref", " 字', ref")
    at = position(text, "漢字", 1)
    change(client, doc, 4, at, at, "\\n")
    text = text.replace("漢字", "漢\\n字")
    at = position(text, "}")
    change(client, doc, 5, at, at, "  extra int [ref: > gone.id]\n")
    text = text.replace("}", "  extra int [ref: > gone.id]\n}")
    diagnostics = await published(client, doc, 5)
    assert [(d.code, d.message) for d in diagnostics] == fresh(project / "edits.dbml", text)
    assert errors(diagnostics)[0].range.start == position(text, "gone")
    hover = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=doc), position=position(text, "name text"))
    )
    assert "**Column** `users.name` `text`" in hover.contents.value
    assert "😀 漢 字\\n字 𝄞 字" not in hover.contents.value and "😀 漢\n字 𝄞 字" in hover.contents.value


async def test_rapid_edits_publish_only_current_versions(client: LanguageClient, project: Path) -> None:
    text = "Table t {\n  id int [pk]\n}\n"
    doc = open_doc(client, project / "rapid.dbml", text)
    await published(client, doc, 1)
    client.published[doc].clear()
    for version in range(2, 42):  # a burst of typing: one character each
        at = position(text, "}")
        change(client, doc, version, at, at, "x" if version % 2 else "\n")
        text = text.replace("}", ("x" if version % 2 else "\n") + "}")
    last = await published(client, doc, 41)
    versions = [v for v, _ in client.published[doc]]
    assert versions[-1] == 41 and versions == sorted(set(versions))
    assert len(versions) < 10  # debounced, not one run per keystroke
    assert [(d.code, d.message) for d in last] == fresh(project / "rapid.dbml", text)


async def test_a_change_reaches_the_files_that_import_it(client: LanguageClient, project: Path) -> None:
    base = "Table authors {\n  id int [pk]\n  name text\n}\n"
    main = "use * from './base'\n\nTable books {\n  author_id int [ref: > authors.id]\n}\n"
    (project / "base.dbml").write_text(base)
    base_doc = open_doc(client, project / "base.dbml", base)
    main_doc = open_doc(client, project / "main.dbml", main)
    assert errors(await published(client, main_doc, 1)) == []
    change(client, base_doc, 2, position(base, "id int"), position(base, "id int", 2), "key")
    await published(client, base_doc, 2)
    for _ in range(200):
        latest = errors(client.published[main_doc][-1][1])
        if latest:
            break
        await asyncio.sleep(0.02)
    assert [d.message for d in latest] == ["table 'authors' has no column 'id'"]


async def test_files_changed_on_disk(client: LanguageClient, project: Path) -> None:
    (project / "lib.dbml").write_text("Table tags {\n  id int [pk]\n}\n")
    main = "use * from './lib'\n\nTable posts {\n  tag_id int [ref: > tags.id]\n}\n"
    doc = open_doc(client, project / "uses_lib.dbml", main)
    assert errors(await published(client, doc, 1)) == []
    (project / "lib.dbml").write_text("Table tags {\n  code text [pk]\n}\n")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            changes=[lsp.FileEvent(uri=uri(project / "lib.dbml"), type=lsp.FileChangeType.Changed)]
        )
    )
    for _ in range(200):
        if errors(client.published[doc][-1][1]):
            break
        await asyncio.sleep(0.02)
    assert [d.code for d in errors(client.published[doc][-1][1])] == ["E102"]


async def test_close_clears_and_save_republishes(client: LanguageClient, project: Path) -> None:
    doc = open_doc(client, project / "closing.dbml", EMOJI)
    assert len(errors(await published(client, doc, 1))) == 1
    count = len(client.published[doc])
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=doc)))

    async def publications() -> int:
        return len(client.published[doc])

    assert await eventually(publications, lambda n: n > count) == count + 1
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=doc)))
    for _ in range(100):
        if not client.published[doc][-1][1]:
            break
        await asyncio.sleep(0.02)
    assert list(client.published[doc][-1][1]) == []


async def test_settings_from_initialization_and_changes(client: LanguageClient, project: Path) -> None:
    messages = [m.message for m in client.log_messages]
    assert any("dialect must be one of" in m and "klingon" in m for m in messages)
    assert any("hover.images must be true or false" in m for m in messages)
    text = "Table t {\n  id \n}\n"
    doc = open_doc(client, project / "types.dbml", text)

    async def types() -> list[str]:
        result = await client.text_document_completion_async(
            lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=doc), position=position(text, "id ", 3))
        )
        return [i.label for i in result.items]

    assert "jsonb" in await types() and "tinyint" not in await types()
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"dbdsl": {"dialect": "mysql"}})
    )
    assert "tinyint" in await types() and "jsonb" not in await types()
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings={"dialect": "sqlite"}))
    assert await types() == ["integer", "text", "real", "blob", "numeric", "boolean", "date", "datetime"]


async def test_settings_pulled_with_workspace_configuration(client: LanguageClient, project: Path) -> None:
    text = "Table t {\n  id \n}\n"
    doc = open_doc(client, project / "pulled_types.dbml", text)
    client.set_configuration({"dialect": "oracle", "lint": {"ignore": []}}, section="dbdsl")
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))

    async def types() -> list[str]:
        result = await client.text_document_completion_async(
            lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=doc), position=position(text, "id ", 3))
        )
        return [i.label for i in result.items]

    await eventually(types, lambda labels: "varchar2" in labels)  # Oracle's types, once the server has asked


async def test_added_workspace_folders_are_searched(
    client: LanguageClient, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = tmp_path_factory.mktemp("other_folder")
    (other / "inventory.dbml").write_text("Table zebra_stock {\n  id int [pk]\n}\n")
    assert not await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="zebra_stock"))
    client.workspace_did_change_workspace_folders(
        lsp.DidChangeWorkspaceFoldersParams(
            event=lsp.WorkspaceFoldersChangeEvent(added=[lsp.WorkspaceFolder(uri=uri(other), name="other")], removed=[])
        )
    )

    async def symbols() -> list[str]:
        return [s.name for s in await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="zebra_stock"))]

    await eventually(symbols, lambda names: names == ["zebra_stock"])


def apply_token_edits(data: list[int], edits: list[lsp.SemanticTokensEdit]) -> list[int]:
    out = list(data)
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        out[edit.start : edit.start + edit.delete_count] = edit.data or []
    return out


async def test_semantic_token_deltas(client: LanguageClient, project: Path) -> None:
    path = project / "tokens.dbml"
    text = "Table users {\n  id int [pk]\n  name text [note: '😀']\n}\n\nTable posts {\n  id int [pk]\n}\n"
    doc = open_doc(client, path, text)
    ident = lsp.TextDocumentIdentifier(uri=doc)
    first = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(text_document=ident))
    assert first.result_id and first.data

    # rename a column inside the first table: one edit in the middle of the array
    start = position(text, "name")
    change(client, doc, 2, start, lsp.Position(line=start.line, character=start.character + 4), "title")
    delta = await client.text_document_semantic_tokens_full_delta_async(
        lsp.SemanticTokensDeltaParams(text_document=ident, previous_result_id=first.result_id)
    )
    assert isinstance(delta, lsp.SemanticTokensDelta) and len(delta.edits) == 1
    assert delta.edits[0].start % 5 == 0 and 0 < delta.edits[0].start < len(first.data) - 5
    fresh_full = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(text_document=ident))
    assert apply_token_edits(first.data, delta.edits) == list(fresh_full.data)

    # nothing changed since: no edits; an id the server does not know: the whole array
    same = await client.text_document_semantic_tokens_full_delta_async(
        lsp.SemanticTokensDeltaParams(text_document=ident, previous_result_id=fresh_full.result_id)
    )
    assert isinstance(same, lsp.SemanticTokensDelta) and not same.edits
    unknown = await client.text_document_semantic_tokens_full_delta_async(
        lsp.SemanticTokensDeltaParams(text_document=ident, previous_result_id="no-such-id")
    )
    assert isinstance(unknown, lsp.SemanticTokens) and list(unknown.data) == list(fresh_full.data)
