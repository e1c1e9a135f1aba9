"""The fast JSON path (`dbdsl.lsp.rawjson`): diagnostics the server writes as prepared JSON text read
back with lsprotocol's converter as exactly the objects the converter path would have sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from lsprotocol.converters import get_converter
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient

from dbdsl.lsp.diagnostics import to_diagnostic
from dbdsl.lsp.engine import Engine
from dbdsl.lsp.rawjson import RawJson, RawJsonOutput
from dbdsl.lsp.server import DbdslServer
from tests.helpers import SAMPLES

from .client import config, open_doc, start

# many findings, with related locations, a non-ASCII message or two, several per block
TEXT = (SAMPLES / "flawed.dbml").read_text(encoding="utf-8") + '\nTable "naïve" {\n  id int [pk]\n  ünit int\n}\n'


class Sink:
    """A transport that keeps what is written."""

    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data


def messages(data: bytes) -> list[dict]:
    """The JSON-RPC messages in `data`, each checked against its Content-Length."""
    out = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        length = int(dict(line.split(": ", 1) for line in head.decode("ascii").split("\r\n"))["Content-Length"])
        body, data = rest[:length], rest[length:]
        assert len(body) == length
        out.append(json.loads(body))
    return out


def same(read: object, expected: list[lsp.Diagnostic]) -> bool:
    """Equal as objects of the protocol (the converter reads arrays as tuples, the server builds lists)."""
    unstructure = get_converter().unstructure
    return unstructure(list(read)) == unstructure(expected)  # type: ignore[call-overload]


def _expected(text: str, path: Path) -> tuple[Engine, str, list[lsp.Diagnostic]]:
    engine = Engine()
    uri = path.as_uri()
    engine.open(uri, text, 1)
    return engine, uri, [to_diagnostic(engine, f) for f in engine.findings(uri)]


def test_a_published_notification_reads_back_as_the_converters_diagnostics(tmp_path: Path) -> None:
    engine, uri, expected = _expected(TEXT, tmp_path / "flawed.dbml")
    assert len(expected) > 20 and any(d.related_information for d in expected)
    raw = engine.publisher.diagnostics(engine, engine.path_of(uri), engine.findings(uri))
    server = DbdslServer()
    sink = Sink()
    server.protocol.set_writer(sink)
    server.output.notify(
        lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, RawJson('{"uri":' + json.dumps(uri) + ',"diagnostics":' + raw + "}")
    )
    (message,) = messages(sink.data)
    notification = get_converter().structure(message, lsp.PublishDiagnosticsNotification)
    assert notification.params.uri == uri
    assert same(notification.params.diagnostics, expected)


def test_a_result_passes_the_converter_as_a_placeholder_and_is_written_as_it_is(tmp_path: Path) -> None:
    """What pygls does with a response: unstructure it with the server's converter, dump it, frame it
    (its header counts characters), write it; the writer puts the prepared text in place."""
    engine, uri, expected = _expected(TEXT, tmp_path / "flawed.dbml")
    raw = engine.publisher.diagnostics(engine, engine.path_of(uri), engine.findings(uri))
    output = RawJsonOutput()
    converter = output.install(default_converter())
    sink = Sink()
    writer = output.writer(sink)
    report = RawJson('{"kind":"full","resultId":"1","items":' + raw + "}")
    body = json.dumps(converter.unstructure(lsp.DocumentDiagnosticResponse(id=7, result=report)))
    assert raw not in body  # the converter never saw the text
    writer.write((f"Content-Length: {len(body)}\r\n\r\n" + body).encode("utf-8"))
    (message,) = messages(sink.data)
    response = get_converter().structure(message, lsp.DocumentDiagnosticResponse)
    assert response.id == 7
    assert same(response.result.items, expected)


@pytest_lsp.fixture(config=config())
async def pulling(lsp_client: LanguageClient, tmp_path: Path):
    await start(lsp_client, tmp_path, kind="pull")
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_pulled_diagnostics_over_stdio_read_back_as_the_converters(pulling: LanguageClient, tmp_path: Path):
    path = tmp_path / "pulled.dbml"
    doc = open_doc(pulling, path, TEXT)
    report = await pulling.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(text_document=lsp.TextDocumentIdentifier(uri=doc))
    )
    _engine, _uri, expected = _expected(TEXT, path)
    assert same(report.items, expected)
