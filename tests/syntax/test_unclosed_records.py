"""An unclosed top-level Records block: its span ends with the text, not one character after it."""

from __future__ import annotations

from dbdsl.model.link import link
from dbdsl.workspace import SourceFile


def test_unclosed_records_span_stays_inside_the_text() -> None:
    text = "Table posts {\n  id int\n}\n\nRecords posts(id, title) {\n  1, 'a"
    source = SourceFile("/virtual/records.dbml", text)
    _schema, findings = link(source.decls())
    for f in source.local_findings() + findings:
        assert f.span.end_offset <= len(text), f
