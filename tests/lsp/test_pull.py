"""Pull diagnostics (`textDocument/diagnostic`), for clients that ask for them (VS Code)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .client import DELAY_MS, config, errors, open_doc, start
from .test_sync import EMOJI

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pull")


@pytest_lsp.fixture(config=config(), scope="module")
async def pulling(lsp_client: LanguageClient, project: Path):
    await start(lsp_client, project, kind="pull")
    yield
    await lsp_client.shutdown_session()


async def test_pull_diagnostics(pulling: LanguageClient, project: Path) -> None:
    doc = open_doc(pulling, project / "pulled.dbml", EMOJI)
    ident = lsp.TextDocumentIdentifier(uri=doc)
    report = await pulling.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(text_document=ident))
    assert [d.code for d in errors(report.items)] == ["E101"]
    again = await pulling.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(text_document=ident, previous_result_id=report.result_id)
    )
    assert again.kind == "unchanged" and again.result_id == report.result_id
    # that nothing arrives can only be seen by waiting: past the diagnostics delay, with room for the analysis
    await asyncio.sleep(DELAY_MS / 1000 + 0.3)
    assert doc not in pulling.published  # a pulling client gets no pushed diagnostics (no duplicates)


async def test_a_pulling_client_is_asked_to_pull_again_when_an_import_changes(
    pulling: LanguageClient, project: Path
) -> None:
    base = "Table authors {\n  id int [pk]\n}\n"
    (project / "base.dbml").write_text(base)
    base_doc = open_doc(pulling, project / "base.dbml", base)
    open_doc(pulling, project / "main.dbml", "use * from './base'\n\nTable b {\n  a int [ref: > authors.id]\n}\n")
    before = pulling.diagnostic_refresh_count
    pulling.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=base_doc, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text="Table authors {\n  key int\n}\n")],
        )
    )
    for _ in range(200):
        if pulling.diagnostic_refresh_count > before:
            break
        await asyncio.sleep(0.02)
    assert pulling.diagnostic_refresh_count > before
    main = lsp.TextDocumentIdentifier(uri=str(project.joinpath("main.dbml").as_uri()))
    report = await pulling.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(text_document=main))
    assert [d.message for d in errors(report.items)] == ["table 'authors' has no column 'id'"]
