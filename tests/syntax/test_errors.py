"""Syntax errors: every one reported, at its place, in plain words; the rest of the file still binds."""

from __future__ import annotations

import re

import pytest

from dbdsl.findings import Severity
from dbdsl.workspace import SourceFile, Workspace


def errors(text: str) -> list[tuple[int, int, int, int, str]]:
    """(line, col, end_line, end_col, message) of the syntax errors, 1-based lines and columns."""
    out = []
    for f in SourceFile("/virtual/t.dbml", text).local_findings():
        if f.code == "E001":
            (l1, c1), (l2, c2) = f.span.start_pos, f.span.end_pos
            out.append((l1 + 1, c1 + 1, l2 + 1, c2 + 1, f.message))
    return out


def analyze(tmp_path, text: str):
    path = tmp_path / "t.dbml"
    path.write_text(text, encoding="utf-8")
    return Workspace().analyze(str(path))


def test_error_has_precise_range_and_expected_words() -> None:
    [(line, col, end_line, end_col, message)] = errors("Table users {\n  id int [pk,]\n}\n")
    assert (line, col, end_line, end_col) == (2, 14, 2, 15)
    assert message == "unexpected ']'; expected a name"


def test_every_error_in_a_block_is_reported() -> None:
    text = "Table t {\n  id int [pk,]\n  name varchar(\n  ok int\n  bad int [note 'x']\n}\n"
    found = errors(text)
    assert [e[0] for e in found] == [2, 3, 5]


def test_errors_in_several_blocks_are_all_reported() -> None:
    text = "Table a {\n  id int [\n}\n\nTable b {\n  id int]\n}\n\nRef: a.id >\n"
    assert sorted({e[0] for e in errors(text)}) == [2, 6, 9]


def test_a_broken_block_does_not_hide_the_others(tmp_path) -> None:
    text = "Table a {\n  id int [pk\n}\n\nTable b {\n  id int [pk]\n  a_id int [ref: > a.id]\n}\n"
    analysis = analyze(tmp_path, text)
    assert {t.name for t in analysis.schema.tables} == {"a", "b"}
    assert [f.code for f in analysis.errors] == ["E001"]


def test_good_items_of_a_broken_table_survive(tmp_path) -> None:
    text = "Table a {\n  id int [pk]\n  x: int\n  name varchar\n}\n"
    table = analyze(tmp_path, text).schema.tables[0]
    assert [c.name for c in table.columns] == ["id", "name"]


def test_unclosed_brace_stops_at_the_next_block_header(tmp_path) -> None:
    text = "Table a {\n  id int [pk]\n\nTable b {\n  id int [pk]\n}\n"
    analysis = analyze(tmp_path, text)
    assert {t.name for t in analysis.schema.tables} == {"a", "b"}
    [error] = analysis.errors
    assert "never closed" in error.message and error.span.start_pos[0] == 1


@pytest.mark.parametrize(
    "text, needle",
    [
        ("Table t {\n  name 'x\n}\n", "not closed before the end of the line"),
        ("Note n {\n  '''never closed\n}\n", "never closed"),
        ("Table t {\n  id int /* open\n}\n", "never closed with */"),
        ("Tabel t {\n  id int\n}\n", "expected Project, Table"),
        ("Table t {\n  2fa int\n}\n", "names cannot start with a digit"),
        ("Table t {\n  id int [note: '\\u12']\n}\n", "four hexadecimal digits"),
        ("Table t {\n  id\n}\n", "expected a name"),
    ],
)
def test_messages_say_what_is_wrong(text: str, needle: str) -> None:
    messages = [e[4] for e in errors(text)]
    assert any(needle in m for m in messages), messages


TERMINAL_NAME = re.compile(r"\b(_NL|LSQB|RSQB|LPAR|RPAR|LBRACE|RBRACE|COLON|COMMA|REL_OP|QUOTED_NAME|\$END)\b")


@pytest.mark.parametrize(
    "text",
    ["Table t {\n  id int [pk,\n}", "Ref: a.b >", "Enum e {\n  a [note:]\n}", "Table t as {", "use { table a } from"],
)
def test_messages_never_leak_grammar_names(text: str) -> None:
    for *_, message in errors(text):
        assert not TERMINAL_NAME.search(message), message


def test_semantic_errors_point_at_the_name(tmp_path) -> None:
    text = "Table a {\n  id int [pk]\n}\nRef: a.id < missing.id\n"
    [error] = [f for f in analyze(tmp_path, text).findings if f.severity is Severity.ERROR]
    assert error.code == "E101"
    assert error.span.text == "missing"
