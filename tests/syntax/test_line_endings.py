"""A file means the same whatever its line endings (LF, CRLF, or both mixed), and the formatter keeps
them; escapes that name half a surrogate pair are problems, a pair is one character."""

from __future__ import annotations

import pytest

from dbdsl.format import format_text
from dbdsl.syntax.blocks import split_blocks
from dbdsl.syntax.strings import unescape
from tests.migrate.helpers import schema

NOTE = "Table t {\n  id int [pk]\n  Note: '''\n    first \\\n    same line\n    second\n  '''\n}\n"


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def note_of(text: str) -> str:
    return schema(text).tables[0].note


def test_backslash_before_crlf_continues_the_line() -> None:
    assert note_of(NOTE).startswith("first     same line\nsecond")  # the lines joined
    assert note_of(crlf(NOTE)) == note_of(NOTE)
    assert unescape("a\\\r\nb") == unescape("a\\\nb") == ("ab", [])


def test_escapes_of_surrogates() -> None:
    assert unescape("\\ud83d\\ude00") == ("\U0001f600", [])
    text, problems = unescape("a\\udc80")
    assert text == "a\ufffd" and len(problems) == 1 and "surrogate" in problems[0][2]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_missing_brace_recovery_with_either_ending(ending: str) -> None:
    text = "Table a {\n  id int\nTable b {\n  id int\n}\nRef: a.id > b.id\n".replace("\n", ending)
    assert [b.text.split()[1] for b in split_blocks(text)] == ["a", "b", "a.id"]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_formatter_keeps_uniform_endings(ending: str) -> None:
    text = "Table a {\nid int [pk]\n}\nTable b {\n    id int [pk]\n}\n".replace("\n", ending)
    out = format_text(text)
    assert out != text
    assert out.count("\n") == out.count(ending)


def test_formatter_keeps_mixed_endings_and_notes() -> None:
    mixed = "Table a {\r\nid int [pk]\r\n  note: '''\r\n  line one\n  line two\r\n  '''\r\n}\n"
    uniform_crlf = "Table b {\r\nid int [pk]\r\n}\r\n"
    uniform_lf = "Table c {\nid int [pk]\n}\n"
    text = mixed + uniform_crlf + uniform_lf
    out = format_text(text)
    assert out.startswith(mixed[:-1])  # a block mixing both is kept as written: its note is untouched
    assert "Table b {\r\n  id int [pk]\r\n}" in out
    assert "Table c {\n  id int [pk]\n}" in out and "Table c {\r\n" not in out
    assert format_text(out) == out
    assert [t.note for t in schema(out).tables] == [t.note for t in schema(text).tables]
