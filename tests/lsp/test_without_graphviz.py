"""Without Graphviz's `dot` on PATH: hovers keep the text ERD (no image), renderErd answers with the
text diagram and says why."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.helpers import SAMPLES

from .client import config, open_doc, position, published, start

pytestmark = pytest.mark.asyncio(loop_scope="module")
PATH_WITHOUT_DOT = os.pathsep.join(
    p for p in os.environ.get("PATH", "").split(os.pathsep) if p and not os.path.exists(os.path.join(p, "dot"))
) or os.path.dirname(sys.executable)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nodot")


@pytest_lsp.fixture(config=config(PATH=PATH_WITHOUT_DOT), scope="module")
async def client(lsp_client: LanguageClient, project: Path):
    await start(lsp_client, project)
    yield
    await lsp_client.shutdown_session()


async def test_text_erd_everywhere(client: LanguageClient, project: Path) -> None:
    text = (SAMPLES / "blog.dbml").read_text(encoding="utf-8")
    doc = open_doc(client, project / "blog.dbml", text)
    await published(client, doc, 1)
    hover = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=doc), position=position(text, "Table posts", 6))
    )
    assert "```text\n┌" in hover.contents.value and "data:image" not in hover.contents.value
    reply = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dbdsl.server.renderErd", arguments=[{"uri": doc, "format": "svg"}])
    )
    assert reply["format"] == "txt" and "┌" in reply["content"] and "Graphviz" in reply["message"]
