"""A storm of random edits and random requests (some of them malformed) through a real client.

The server must answer every request (a result, or an error where one is due: InvalidParams for
malformed parameters, RequestFailed for a refused rename), never fail inside (no InternalError),
never die, and its last published diagnostics must equal a fresh analysis of the final text.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.helpers import SAMPLES

from .client import config, expected_findings, open_doc, published, send_raw, start, uri

pytestmark = pytest.mark.asyncio(loop_scope="module")

SNIPPETS = [
    "x",
    "\n",
    "{",
    "}",
    "[",
    "]",
    "'",
    "'''",
    '"',
    "`",
    "//",
    "/*",
    "*/",
    " ",
    "",
    "😀",
    "漢字",
    "\r\n",
    "Table t {\n  id int [pk]\n}\n",
    "ref: > ",
    "~",
    ".",
    "Ref: a.b > c.d\n",
    "note: '😀'",
]
NAMES = ["renamed", "x y", "", "orders", "😀", "a\nb", "customers"]


def utf16_position(text: str, offset: int) -> lsp.Position:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return lsp.Position(line=line, character=len(text[start:offset].encode("utf-16-le")) // 2)


def safe_offset(text: str, offset: int) -> int:
    """Not between the two halves of CRLF (the protocol counts CRLF as one line break)."""
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        return offset - 1
    return offset


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("storm")


@pytest_lsp.fixture(config=config(), scope="module")
async def client(lsp_client: LanguageClient, project: Path):
    await start(lsp_client, project)
    yield
    await lsp_client.shutdown_session()


def _requests(rng: random.Random, doc: str, text: str) -> tuple[str, object, bool]:
    """(method, params, malformed)."""
    ident = {"uri": doc}
    offset = rng.randint(0, len(text))
    pos = utf16_position(text, safe_offset(text, offset))
    p = {"line": pos.line, "character": pos.character}
    if rng.random() < 0.1:
        p = {"line": rng.choice([10**6, 0, 3]), "character": rng.choice([10**6, 0, 7])}
    rng_range = {"start": p, "end": {"line": p["line"] + rng.randint(0, 30), "character": 0}}
    choices = [
        ("textDocument/hover", {"textDocument": ident, "position": p}),
        ("textDocument/completion", {"textDocument": ident, "position": p}),
        ("textDocument/definition", {"textDocument": ident, "position": p}),
        ("textDocument/references", {"textDocument": ident, "position": p, "context": {"includeDeclaration": True}}),
        ("textDocument/documentSymbol", {"textDocument": ident}),
        ("textDocument/foldingRange", {"textDocument": ident}),
        ("textDocument/semanticTokens/full", {"textDocument": ident}),
        (
            "textDocument/semanticTokens/full/delta",
            {"textDocument": ident, "previousResultId": str(rng.randint(1, 50))},
        ),
        ("textDocument/semanticTokens/range", {"textDocument": ident, "range": rng_range}),
        ("textDocument/documentLink", {"textDocument": ident}),
        ("textDocument/codeLens", {"textDocument": ident}),
        ("textDocument/inlayHint", {"textDocument": ident, "range": rng_range}),
        ("textDocument/prepareRename", {"textDocument": ident, "position": p}),
        ("textDocument/rename", {"textDocument": ident, "position": p, "newName": rng.choice(NAMES)}),
        ("textDocument/formatting", {"textDocument": ident, "options": {"tabSize": 2, "insertSpaces": True}}),
        (
            "textDocument/rangeFormatting",
            {"textDocument": ident, "range": rng_range, "options": {"tabSize": 2, "insertSpaces": True}},
        ),
        ("textDocument/codeAction", {"textDocument": ident, "range": rng_range, "context": {"diagnostics": []}}),
        ("textDocument/diagnostic", {"textDocument": ident}),
        ("workspace/symbol", {"query": rng.choice(["", "ord", "zz", "😀"])}),
        ("textDocument/hover", {"textDocument": {"uri": "file:///nowhere/missing.dbml"}, "position": p}),
    ]
    method, params = rng.choice(choices)
    if rng.random() < 0.2:
        broken = dict(params)
        how = rng.randrange(4)
        if how == 0 and "position" in broken:
            broken["position"] = rng.choice(["x", {"line": -1, "character": 0}, None, {"line": "a"}])
        elif how == 1:
            broken.pop("textDocument", None)
            broken.pop("query", None)
        elif how == 2:
            broken = rng.choice([[], "text", 42, None])
        else:
            broken["textDocument"] = "file:///not-an-object.dbml"
        return method, broken, True
    return method, params, False


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_storm(client: LanguageClient, project: Path, seed: int) -> None:
    rng = random.Random(seed)
    text = (SAMPLES / ("ecommerce.dbml" if seed % 2 else "saas.dbml")).read_text(encoding="utf-8")
    path = project / f"storm{seed}.dbml"
    doc = open_doc(client, path, text)
    version = 1
    pending: list[tuple[str, bool, asyncio.Future]] = []
    for _ in range(400):
        if rng.random() < 0.55:
            start_offset = safe_offset(text, rng.randint(0, len(text)))
            end_offset = safe_offset(text, min(len(text), start_offset + rng.choice([0, 0, 1, 2, 5, 40])))
            new = rng.choice(SNIPPETS)
            version += 1
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(uri=doc, version=version),
                    content_changes=[
                        lsp.TextDocumentContentChangePartial(
                            range=lsp.Range(
                                start=utf16_position(text, start_offset), end=utf16_position(text, end_offset)
                            ),
                            text=new,
                        )
                    ],
                )
            )
            text = text[:start_offset] + new + text[end_offset:]
        else:
            method, params, malformed = _requests(rng, doc, text)
            future = send_raw(client, method, params)
            pending.append((method, malformed, future))
        if rng.random() < 0.1:
            await asyncio.sleep(rng.choice([0, 0.01, 0.06]))
    for method, malformed, future in pending:
        try:
            await asyncio.wait_for(future, timeout=60)
        except JsonRpcException as e:
            if malformed:
                assert e.code == lsp.ErrorCodes.InvalidParams, (method, e)
            else:
                refusable = ("textDocument/rename", "textDocument/prepareRename")
                assert e.code == lsp.LSPErrorCodes.RequestFailed and method in refusable, (method, e)
        else:
            assert not malformed or method in ("workspace/symbol",), f"{method} accepted malformed parameters"
    diagnostics = await published(client, doc, version, timeout=60)
    expected = [(f.code, f.message, utf16_position(text, f.span.start_offset)) for f in expected_findings(path, text)]
    assert [(d.code, d.message, d.range.start) for d in diagnostics] == expected
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(path)), position=lsp.Position(line=0, character=0)
        )
    )
    assert hover is None or hover.contents.value


async def test_lone_surrogate_in_a_name(client: LanguageClient, project: Path) -> None:
    """JSON can carry half a surrogate pair: the document still gets its diagnostics, hover answers."""
    text = 'Table "a\udc80b" {\n  id int [pk]\n  "c\ud800" varchar(10)\n}\nRef: "a\udc80b".id < "a\udc80b".id\n'
    path = project / "surrogate.dbml"
    doc = open_doc(client, path, text)
    diagnostics = await published(client, doc, 1, timeout=60)
    assert all(isinstance(d.message, str) for d in diagnostics)
    for line, character in ((0, 8), (2, 4), (4, 8)):
        hover = await client.text_document_hover_async(
            lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=doc), position=lsp.Position(line, character))
        )
        assert (hover is not None and "a\ufffdb" in hover.contents.value) or line == 2
