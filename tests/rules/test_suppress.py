"""Suppression comments: on the finding's line or the line above, by code, prefix or all; unused and
invalid suppressions are reported, with a fix for the unused ones."""

from __future__ import annotations

from .helpers import apply_one_fix, codes, run

TABLE = """Table events {
  name varchar(100)
  happened_at timestamp
}
"""


def test_comment_on_the_line_above_suppresses_the_named_code() -> None:
    assert {"C101", "T104"} <= set(codes(TABLE))
    text = "// dbdsl: ignore[C101]\n" + TABLE
    assert "C101" not in codes(text) and "T104" in codes(text)
    assert "S900" not in codes(text)


def test_trailing_comment_on_the_finding_line() -> None:
    text = TABLE.replace("happened_at timestamp", "happened_at timestamp // dbdsl: ignore[T104]")
    assert "T104" not in codes(text) and "S900" not in codes(text)


def test_bare_ignore_and_prefixes_and_block_comments() -> None:
    assert not {"C101"} & set(codes("// dbdsl: ignore\n" + TABLE))
    assert "C101" not in codes("/* dbdsl: ignore[C] */\n" + TABLE)
    assert "T104" not in codes(TABLE.replace("timestamp", "timestamp /* dbdsl: ignore[t104] */"))


def test_a_comment_two_lines_above_does_not_apply() -> None:
    text = "// dbdsl: ignore[C101]\n\n" + TABLE
    found = codes(text)
    assert "C101" in found and "S900" in found


def test_unused_suppression_is_reported_with_a_fix() -> None:
    text = "Table t {\n  id int [pk] // dbdsl: ignore[C101, T104]\n}\n"
    unused = [f for f in run(text) if f.code == "S900"]
    assert len(unused) == 1 and "C101, T104" in unused[0].message
    fixed = apply_one_fix(text, "S900")
    assert fixed == "Table t {\n  id int [pk]\n}\n"
    partly = TABLE.replace("happened_at timestamp", "happened_at timestamp // dbdsl: ignore[T104, C101]")
    finding = next(f for f in run(partly) if f.code == "S900")
    assert "C101" in finding.message and "T104" not in finding.message
    assert "// dbdsl: ignore[T104]" in apply_one_fix(partly, "S900")
    own_line = "// dbdsl: ignore[I101]\n" + TABLE.replace("name", "id int [pk]\n  name")
    assert apply_one_fix(own_line, "S900").startswith("Table events")


def test_unknown_and_error_codes_are_invalid_suppressions() -> None:
    found = [(f.code, f.span.text) for f in run("// dbdsl: ignore[C1O1, E101]\n" + TABLE) if f.code == "S901"]
    assert found == [("S901", "C1O1"), ("S901", "E101")]


def test_text_inside_strings_is_not_a_suppression() -> None:
    text = TABLE.replace("name varchar(100)", "name varchar(100) [note: '// dbdsl: ignore[C101]']")
    assert "C101" in codes("\n" + text)
    multiline = "Note n {\n  '''\n  // dbdsl: ignore\n  '''\n}\n" + TABLE
    assert "C101" in codes(multiline)


def test_suppressions_between_blocks_and_inside_other_blocks() -> None:
    text = "Table a {\n  id int [pk]\n}\n\n// dbdsl: ignore[C101]\n" + TABLE
    assert "C101" not in codes(text)
