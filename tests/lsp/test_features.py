"""Every editor feature, end to end: a real client talks to `dbdsl serve` over stdio."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .client import config, errors, open_doc, position, published, start, uri

pytestmark = pytest.mark.asyncio(loop_scope="module")

COMMON = """\
Enum status {
  active [note: 'can log in']
  blocked
}

TablePartial stamps {
  created_at timestamptz [not null, default: `now()`]
  updated_at timestamptz
}

Table users as U {
  id bigint [pk, increment]
  email varchar(320) [not null, unique]
  state status [default: status.active]
  ~stamps
  Note: 'People who can log in'
}
"""

SHOP = """\
use * from './common'

// Notes with 😀 and 漢字 before the problems: squiggles must not move.
Table posts [note: '😀 emoji 漢字 note'] {
  id bigint [pk]
  author_id bigint [not null, ref: > U.id]
  title varchar(200) [note: '漢字😀漢字']
  body text
  indexes {
    author_id
  }
}

Table comments {
  id bigint [pk]
  post_id bigint [ref: > posts.id]
  user_id bigint [ref: > users.nope]
}

Ref: comments.post_id > posts.id [delete: cascade]

Query post_page [frequency: '100/s'] {
  '''
  SELECT p.title, p.body FROM posts p WHERE p.author_id = :user
  '''
}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "common.dbml").write_text(COMMON, encoding="utf-8")
    (root / "shop.dbml").write_text(SHOP, encoding="utf-8")
    (root / "blog.dbml").write_text("use * from './common'\n\nTable notes {\n  user_id bigint [ref: > users.id]\n}\n")
    return root


@pytest_lsp.fixture(config=config(), scope="module")
async def client(lsp_client: LanguageClient, project: Path):
    await start(lsp_client, project)
    open_doc(lsp_client, project / "shop.dbml", SHOP)
    await published(lsp_client, uri(project / "shop.dbml"), 1)
    yield
    await lsp_client.shutdown_session()


def shop(project: Path) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri(project / "shop.dbml"))


async def test_capabilities_and_diagnostics_in_utf16(client: LanguageClient, project: Path) -> None:
    diagnostics = errors(await published(client, uri(project / "shop.dbml"), 1))
    assert [d.code for d in diagnostics] == ["E102", "E112"]
    d = diagnostics[0]
    assert d.range.start == position(SHOP, "nope") and d.range.end == position(SHOP, "nope", 4)
    assert d.severity == lsp.DiagnosticSeverity.Error and d.source == "dbdsl"
    # a duplicate relationship points at the first one
    (related,) = diagnostics[1].related_information
    assert related.location.uri == uri(project / "shop.dbml")
    assert related.location.range.start == position(SHOP, "ref: > posts.id")


async def test_hover_on_a_table_reference_across_files(client: LanguageClient, project: Path) -> None:
    result = await client.text_document_hover_async(
        lsp.HoverParams(text_document=shop(project), position=position(SHOP, "U.id", 0))
    )
    text = result.contents.value
    assert "**Table** `users`" in text and "People who can log in" in text
    assert "| email | varchar(320) | not null, unique |" in text
    assert "created_at *(from ~stamps)*" in text
    assert "many posts belong to one user" in text
    # the text ERD of the neighbourhood, and (VS Code renders Markdown images, dot is installed) the SVG
    assert "```text\n┌" in text and "users.id  1 ──< *  posts.author_id" in text
    assert "![ERD of users](data:image/svg+xml;base64," in text
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"dbdsl": {"hover": {"images": False}}})
    )
    again = await client.text_document_hover_async(
        lsp.HoverParams(text_document=shop(project), position=position(SHOP, "U.id", 0))
    )
    assert "```text" in again.contents.value and "data:image" not in again.contents.value


async def test_hover_on_a_column_and_on_a_relationship(client: LanguageClient, project: Path) -> None:
    column = await client.text_document_hover_async(
        lsp.HoverParams(text_document=shop(project), position=position(SHOP, "author_id bigint", 2))
    )
    text = column.contents.value
    assert "**Column** `posts.author_id` `bigint`" in text
    assert "references `users.id` (many-to-one)" in text and "- index (author_id)" in text
    ref = await client.text_document_hover_async(
        lsp.HoverParams(text_document=shop(project), position=position(SHOP, "ref: > posts.id", 5))
    )
    assert "many comments may belong to one post (post_id can be null); no delete action is set" in (ref.contents.value)


async def test_hover_range_is_utf16_after_emoji(client: LanguageClient, project: Path) -> None:
    result = await client.text_document_hover_async(
        lsp.HoverParams(text_document=shop(project), position=position(SHOP, "posts [note"))
    )
    assert result.range.start == position(SHOP, "posts [note")
    assert result.range.end == position(SHOP, "posts [note", 5)


async def test_definition_and_references_across_files(client: LanguageClient, project: Path) -> None:
    found = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=shop(project), position=position(SHOP, "U.id", 2))
    )
    assert len(found) == 1 and found[0].uri == uri(project / "common.dbml")
    assert found[0].range.start == position(COMMON, "id bigint")
    refs = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=shop(project),
            position=position(SHOP, "U.id", 2),
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    files = sorted({r.uri.rsplit("/", 1)[1] for r in refs})
    assert files == ["blog.dbml", "common.dbml", "shop.dbml"]
    in_blog = [r for r in refs if r.uri.endswith("blog.dbml")]
    assert len(in_blog) == 1 and in_blog[0].range.start.line == 3


async def test_completion_in_context(client: LanguageClient, project: Path) -> None:
    async def labels(text_before: str, needle: str, delta: int) -> list[str]:
        result = await client.text_document_completion_async(
            lsp.CompletionParams(text_document=shop(project), position=position(SHOP, needle, delta))
        )
        return [i.label for i in result.items]

    assert await labels(SHOP, "ref: > U.id", 9) == ["id", "email", "state", "created_at", "updated_at"]
    assert "cascade" in await labels(SHOP, "delete: cascade", 8)
    in_sql = await labels(SHOP, "p.title", 2)
    assert in_sql[:4] == ["id", "author_id", "title", "body"]
    top = await labels(SHOP, "Table comments", 0)
    assert top[:3] == ["Table", "Ref", "Enum"]


async def test_document_symbols_folding_and_links(client: LanguageClient, project: Path) -> None:
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=shop(project)))
    names = [(s.name, s.kind) for s in symbols]
    assert ("posts", lsp.SymbolKind.Class) in names and ("post_page", lsp.SymbolKind.Function) in names
    posts = next(s for s in symbols if s.name == "posts")
    assert [c.name for c in posts.children] == ["id", "author_id", "title", "body", "(author_id)"]
    folds = await client.text_document_folding_range_async(lsp.FoldingRangeParams(text_document=shop(project)))
    assert any(f.start_line == position(SHOP, "Table posts").line for f in folds)
    links = await client.text_document_document_link_async(lsp.DocumentLinkParams(text_document=shop(project)))
    assert [link.target for link in links] == [uri(project / "common.dbml")]
    assert links[0].range.start == position(SHOP, "./common")


async def test_workspace_symbols(client: LanguageClient, project: Path) -> None:
    found = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="user"))
    assert found[0].name == "users" and found[0].location.uri == uri(project / "common.dbml")


async def test_semantic_tokens_use_utf16_lengths(client: LanguageClient, project: Path) -> None:
    result = await client.text_document_semantic_tokens_full_async(
        lsp.SemanticTokensParams(text_document=shop(project))
    )
    data = result.data
    tokens = []
    line = col = 0
    for i in range(0, len(data), 5):
        dl, dc, length, kind, mods = data[i : i + 5]
        line += dl
        col = dc if dl else col + dc
        tokens.append((line, col, length, kind, mods))
    legend = ["keyword", "type", "class", "struct", "enum", "enumMember", "property", "namespace", "function"]
    lines = SHOP.split("\n")

    def text_of(t: tuple) -> str:
        encoded = lines[t[0]].encode("utf-16-le")
        return encoded[2 * t[1] : 2 * (t[1] + t[2])].decode("utf-16-le")

    by_text = {text_of(t): legend[t[3]] if t[3] < len(legend) else t[3] for t in tokens}
    assert by_text["posts"] == "class" and by_text["author_id"] == "property" and by_text["bigint"] == "type"
    note = next(t for t in tokens if text_of(t).startswith("'漢字"))
    assert text_of(note) == "'漢字😀漢字'"  # the emoji counts two UTF-16 units


async def test_inlay_hints_and_code_lenses(client: LanguageClient, project: Path) -> None:
    end = lsp.Position(line=len(SHOP.split("\n")), character=0)
    hints = await client.text_document_inlay_hint_async(
        lsp.InlayHintParams(
            text_document=shop(project), range=lsp.Range(start=lsp.Position(line=0, character=0), end=end)
        )
    )
    labels = [h.label for h in hints]
    assert labels.count("N:1") == 2  # the duplicate Ref line is not a relationship
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=shop(project)))
    posts = next(lens for lens in lenses if lens.range.start == position(SHOP, "posts [note"))
    resolved = await client.code_lens_resolve_async(posts)
    assert resolved.command.title == "3 references"  # the inline ref, the Ref line and the SQL
    # clicking it shows them: the editor runs dbdsl.showReferences(uri, position, locations)
    assert resolved.command.command == "dbdsl.showReferences"
    doc, at, locations = resolved.command.arguments
    assert doc == shop(project).uri
    assert at == {"line": posts.range.start.line, "character": posts.range.start.character}
    uses = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=shop(project), position=posts.range.start, context=lsp.ReferenceContext(False)
        )
    )
    assert len(uses) == 3
    assert locations == [
        {
            "uri": u.uri,
            "range": {
                "start": {"line": u.range.start.line, "character": u.range.start.character},
                "end": {"line": u.range.end.line, "character": u.range.end.character},
            },
        }
        for u in uses
    ]
    inline = position(SHOP, "posts.id]")
    assert locations[0]["range"]["start"] == {"line": inline.line, "character": inline.character}


async def test_rename_across_files_and_collisions(client: LanguageClient, project: Path) -> None:
    prepared = await client.text_document_prepare_rename_async(
        lsp.PrepareRenameParams(text_document=shop(project), position=position(SHOP, "posts.id", 1))
    )
    assert prepared.placeholder == "posts"
    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=shop(project), position=position(SHOP, "posts.id", 1), new_name="articles")
    )
    (change,) = edit.document_changes
    assert change.text_document.version == 1
    assert len(change.edits) == 4  # the definition, the inline ref, the Ref line and the SQL's FROM
    assert all(e.new_text == "articles" for e in change.edits)
    column = await client.text_document_rename_async(
        lsp.RenameParams(text_document=shop(project), position=position(SHOP, "U.id", 2), new_name="user id")
    )
    files = {c.text_document.uri.rsplit("/", 1)[1]: c for c in column.document_changes}
    assert set(files) == {"common.dbml", "shop.dbml", "blog.dbml"}
    assert {e.new_text for c in files.values() for e in c.edits} == {'"user id"'}
    with pytest.raises(Exception, match="already has a column 'email'"):
        await client.text_document_rename_async(
            lsp.RenameParams(text_document=shop(project), position=position(SHOP, "U.id", 2), new_name="email")
        )


async def test_formatting_whole_and_range(client: LanguageClient, project: Path) -> None:
    messy = "Table   t {\n  id int   [pk]\n  name_of_thing   text\n}\n\n\n\nTable u {\n  a int\n}\n"
    doc = open_doc(client, project / "messy.dbml", messy)
    ident = lsp.TextDocumentIdentifier(uri=doc)
    options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(text_document=ident, options=options)
    )
    assert apply(messy, edits) == (
        "Table t {\n  id            int [pk]\n  name_of_thing text\n}\n\nTable u {\n  a int\n}\n"
    )
    ranged = await client.text_document_range_formatting_async(
        lsp.DocumentRangeFormattingParams(
            text_document=ident,
            range=lsp.Range(start=lsp.Position(line=7, character=0), end=lsp.Position(line=8, character=0)),
            options=options,
        )
    )
    assert list(ranged) == []  # `Table u` is already formatted; `Table t` is outside the range


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(p: lsp.Position) -> int:
        return starts[p.line] + p.character

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text
