"""Commands and source actions: the server creates files through `workspace/applyEdit`, with progress."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from dbdsl.workspace import Workspace
from tests.helpers import SAMPLES

from .client import config, open_doc, published, send_raw, start, uri

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("commands")
    (root / "shop.dbml").write_text((SAMPLES / "ecommerce.dbml").read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest_lsp.fixture(config=config(), scope="module")
async def client(lsp_client: LanguageClient, project: Path):
    result = await start(lsp_client, project)
    lsp_client.server_commands = result.capabilities.execute_command_provider.commands
    yield
    await lsp_client.shutdown_session()


async def test_export_sql_creates_the_file_through_the_editor(client: LanguageClient, project: Path) -> None:
    from dbdsl.emit.sql import generate

    assert sorted(client.server_commands) == [
        "dbdsl.server.exportSql",
        "dbdsl.server.generateDocument",
        "dbdsl.server.generateMigration",
        "dbdsl.server.renderErd",
        "dbdsl.server.showDrift",
    ]
    text = (project / "shop.dbml").read_text(encoding="utf-8")
    doc = open_doc(client, project / "shop.dbml", text)
    await published(client, doc, 1)
    reply = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dbdsl.server.exportSql", arguments=[{"uri": doc, "dialect": "sqlite"}])
    )
    target = uri(project / "shop.sqlite.sql")
    assert reply == {"uri": target}
    edit = client.applied_edits[-1].edit
    create, insert = edit.document_changes
    assert create.kind == "create" and create.uri == target and create.options.overwrite
    sql = insert.edits[0].new_text
    assert sql == generate(Workspace().analyze(str(project / "shop.dbml")).schema, "sqlite").text()
    assert not (project / "shop.sqlite.sql").exists()  # the editor writes it, not the server
    db = sqlite3.connect(":memory:")
    db.executescript(sql)
    assert db.execute("select count(*) from sqlite_master where type = 'table'").fetchone()[0] >= 10
    reports = [r for r in client.progress_reports.values() if r and r[0].title == "Exporting sqlite SQL"]
    assert reports and reports[-1][-1].kind == "end"


async def test_export_refuses_bad_arguments_and_broken_schemas(client: LanguageClient, project: Path) -> None:
    doc = uri(project / "shop.dbml")
    with pytest.raises(JsonRpcException, match="'dialect' must be one of"):
        await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="dbdsl.server.exportSql", arguments=[{"uri": doc, "dialect": "db2"}])
        )
    with pytest.raises(JsonRpcException, match="one object argument"):
        await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="dbdsl.server.exportSql", arguments=["postgres"])
        )
    broken = open_doc(client, project / "broken.dbml", "Table t {\n  a int [ref: > nope.id]\n}\n")
    with pytest.raises(JsonRpcException, match=r"cannot export SQL: the schema has 1 error\(s\)"):
        await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="dbdsl.server.exportSql", arguments=[{"uri": broken, "dialect": "mysql"}])
        )


async def test_source_action_offers_the_export(client: LanguageClient, project: Path) -> None:
    doc = uri(project / "shop.dbml")
    # raw JSON: a code action with a command is easy for a client library to mistake for a Command
    actions = await send_raw(
        client,
        "textDocument/codeAction",
        {
            "textDocument": {"uri": doc},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source"]},
        },
    )
    assert [a["kind"] for a in actions] == [
        "source.dbdsl.exportSql",
        "source.dbdsl.generateMigration",
        "source.dbdsl.generateDocument",
        "source.dbdsl.renderErd",
    ]
    assert [a["command"]["command"] for a in actions[1:]] == [
        "dbdsl.server.generateMigration",
        "dbdsl.server.generateDocument",
        "dbdsl.server.renderErd",
    ]
    assert actions[3]["command"]["arguments"] == [{"uri": doc, "format": "svg", "write": True}]
    export = actions[0]
    assert export["title"] == "Export postgres SQL"  # the Project says PostgreSQL
    assert export["command"] == {
        "title": "Export SQL",
        "command": "dbdsl.server.exportSql",
        "arguments": [{"uri": doc, "dialect": "postgres"}],
    }


async def test_generate_document_creates_the_document_and_its_erd(client: LanguageClient, project: Path) -> None:
    assert "dbdsl.server.generateDocument" in client.server_commands
    doc = uri(project / "shop.dbml")
    reply = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dbdsl.server.generateDocument", arguments=[{"uri": doc}])
    )
    assert reply == {"uri": uri(project / "shop.design.md")}
    changes = client.applied_edits[-1].edit.document_changes
    created = [c.uri.rsplit("/", 1)[1] for c in changes if getattr(c, "kind", None) == "create"]
    assert created == ["shop.design.md", "shop.design.svg"]
    markdown = changes[1].edits[0].new_text
    assert markdown.startswith("# ") and "## Tables" in markdown and "shop.design.svg" in markdown
    assert changes[3].edits[0].new_text.lstrip().startswith(("<?xml", "<svg"))
    titles = [r[0].title for r in client.progress_reports.values() if r]
    assert "Writing the design document" in titles
    report = next(r for r in client.progress_reports.values() if r and r[0].title == "Writing the design document")
    assert any(getattr(step, "message", None) == "Design document: Tables" for step in report)


async def test_render_erd(client: LanguageClient, project: Path) -> None:
    doc = uri(project / "shop.dbml")
    reply = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(
            command="dbdsl.server.renderErd", arguments=[{"uri": doc, "format": "svg", "write": False}]
        )
    )
    assert reply["format"] == "svg" and "<svg" in reply["content"] and "orders" in reply["content"]
    written = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(
            command="dbdsl.server.renderErd", arguments=[{"uri": doc, "format": "svg", "write": True}]
        )
    )
    assert written == {"uri": uri(project / "shop.svg")}


async def test_generate_migration_and_pending_drops(client: LanguageClient, project: Path) -> None:
    from pygls.uris import to_fs_path

    assert "dbdsl.server.generateMigration" in client.server_commands
    doc = uri(project / "shop.dbml")
    reply = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dbdsl.server.generateMigration", arguments=[{"uri": doc}])
    )
    changes = client.applied_edits[-1].edit.document_changes
    created = [c.uri for c in changes if getattr(c, "kind", None) == "create"]
    names = [c.rsplit("/", 1)[1] for c in created]
    assert reply == {"uri": created[0]}
    assert names[0].startswith("0001_") and names[0].endswith(".up.sql") and names[1].endswith(".down.sql")
    assert names[2] == "dbdsl.sum" and all("/migrations/" in c for c in created)
    up = changes[1].edits[0].new_text
    assert "CREATE TABLE" in up and "orders" in up
    # the editor applies the edit: the files now exist, so nothing changed since the last migration
    for change in changes:
        if getattr(change, "kind", None) != "create":
            path = Path(to_fs_path(change.text_document.uri))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(change.edits[0].new_text, encoding="utf-8")
    again = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dbdsl.server.generateMigration", arguments=[{"uri": doc}])
    )
    assert again is None and any("no changes since the last migration" in m.message for m in client.messages)
    # dropping a column: the migration is refused, and with showDrops the diagnostics say what would go
    text = (project / "shop.dbml").read_text(encoding="utf-8")
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=doc, version=2),
            content_changes=[
                lsp.TextDocumentContentChangeWholeDocument(text=text.replace("  description text\n", "", 1))
            ],
        )
    )
    with pytest.raises(JsonRpcException, match="would drop data"):
        await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="dbdsl.server.generateMigration", arguments=[{"uri": doc}])
        )
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"dbdsl": {"migrations": {"showDrops": True}}})
    )
    report = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(text_document=lsp.TextDocumentIdentifier(uri=doc))
    )
    drops = [d for d in report.items if d.code == "M002"]
    assert drops and "column products.description would be dropped" in drops[0].message
    assert drops[0].severity == lsp.DiagnosticSeverity.Information


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("exportSql", {"dialect": "sqlite"}),
        ("generateDocument", {}),
        ("renderErd", {"write": True}),
        ("generateMigration", {}),
    ],
)
async def test_a_command_on_a_file_the_server_cannot_read_answers_null(
    client: LanguageClient, project: Path, command: str, options: dict
) -> None:
    missing = uri(project / "missing.dbml")
    reply = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command=f"dbdsl.server.{command}", arguments=[{"uri": missing, **options}])
    )
    assert reply is None
