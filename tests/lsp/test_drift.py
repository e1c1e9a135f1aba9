"""The `dbdsl.database.url` setting: an information diagnostic on the Project when the live database
has drifted from the file (a column added by hand), none when it has not, and the Show drift command."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from dbdsl.cli import main
from tests.helpers import SAMPLES
from tests.live.urls import sqlite_url

from .client import config, open_doc, start, uri

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("drift")
    schema = root / "shop.dbml"
    schema.write_text((SAMPLES / "ecommerce.dbml").read_text(encoding="utf-8"), encoding="utf-8")
    script = root / "shop.sql"
    assert main(["sql", str(schema), "--dialect", "sqlite", "-o", str(script)]) == 0
    for name in ("same.db", "drifted.db"):
        conn = sqlite3.connect(root / name)
        conn.executescript(script.read_text(encoding="utf-8"))
        conn.close()
    conn = sqlite3.connect(root / "drifted.db")
    conn.execute("ALTER TABLE customers ADD COLUMN fax varchar(32)")
    conn.commit()
    conn.close()
    return root


@pytest_lsp.fixture(config=config(), scope="module")
async def client(lsp_client: LanguageClient, project: Path):
    await start(lsp_client, project)
    yield
    await lsp_client.shutdown_session()


async def drift_diagnostics(client: LanguageClient, doc: str, url: str) -> list[lsp.Diagnostic]:
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"dbdsl": {"database": {"url": url}}})
    )
    report = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(text_document=lsp.TextDocumentIdentifier(uri=doc))
    )
    return [d for d in report.items if d.code == "L001"]


async def test_drift_diagnostic_and_show_drift(client: LanguageClient, project: Path) -> None:
    doc = uri(project / "shop.dbml")
    open_doc(client, project / "shop.dbml", (project / "shop.dbml").read_text(encoding="utf-8"))
    assert await drift_diagnostics(client, doc, sqlite_url(project / "same.db")) == []

    found = await drift_diagnostics(client, doc, sqlite_url(project / "drifted.db"))
    assert len(found) == 1, found
    assert found[0].severity == lsp.DiagnosticSeverity.Information
    assert "has drifted" in found[0].message and "drop column customers.fax" in found[0].message
    assert found[0].range.start.line == 3  # the Project block (line 4 of the sample)

    reply = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dbdsl.server.showDrift", arguments=[{"uri": doc}])
    )
    assert reply["steps"] == ["drop column customers.fax"]
    assert 'DROP COLUMN "fax"' in reply["sql"]

    missing = await drift_diagnostics(client, doc, sqlite_url(project / "none.db"))
    assert len(missing) == 1 and "drift not checked" in missing[0].message and "does not exist" in missing[0].message
