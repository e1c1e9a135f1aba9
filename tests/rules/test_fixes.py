"""The text edits fixes are made of, on awkward layouts: strings with commas and brackets in settings,
one-line tables, tabs, comments."""

from __future__ import annotations

from dbdsl.findings import TextEdit, apply_edits
from dbdsl.rules import fixes

from .helpers import analyze, errors


def edit_text(text: str, *edits) -> str:
    return apply_edits(text, [TextEdit(e.span.file, e.span.start_offset, e.span.end_offset, e.text) for e in edits])


def table_of(text: str):
    return analyze(text).schema.tables[0]


def test_setting_items_respect_strings_expressions_and_nesting() -> None:
    text = (
        "Table t {\n  a int [not null, note: 'x, [y]', default: `f(1, 2)`, ref: > u.id]\n}\n"
        "Table u {\n  id int [pk]\n}\n"
    )
    column = table_of(text).columns[0]
    items = fixes.setting_items(column)
    assert [k for k, _s, _e in items] == ["not null", "note", "default", "ref"]
    assert [column.span.anchor.text[s:e] for _k, s, e in items][1] == "note: 'x, [y]'"
    fixed = edit_text(text, fixes.rewrite_settings(column, drop={"note", "not null"}, add=["unique"]))
    assert "a int [unique, default: `f(1, 2)`, ref: > u.id]" in fixed
    assert errors(fixed) == []


def test_rewrite_settings_adds_a_list_and_removes_an_empty_one() -> None:
    text = "Table t {\n  a int\n  b int [null]\n}\n"
    table = table_of(text)
    fixed = edit_text(text, fixes.rewrite_settings(table.columns[0], add=["pk"]))
    assert "  a int [pk]\n" in fixed
    fixed = edit_text(text, fixes.rewrite_settings(table.columns[1], drop={"null"}))
    assert "  b int\n" in fixed


def test_add_index_to_an_existing_block_and_to_a_table_without_one() -> None:
    text = "Table t {\n  a int\n  b int\n\n  indexes {\n    a\n  }\n}\n"
    fixed = edit_text(text, fixes.add_index(table_of(text), "(a, b)"))
    assert "  indexes {\n    a\n    (a, b)\n  }" in fixed
    text = "Table t {\n  a int\n}\n"
    fixed = edit_text(text, fixes.add_index(table_of(text), "a"))
    assert fixed == "Table t {\n  a int\n\n  indexes {\n    a\n  }\n}\n"
    assert errors(fixed) == []


def test_inserting_into_a_one_line_table_and_with_tabs() -> None:
    text = "Table t { a int }\n"
    fixed = edit_text(text, fixes.add_index(table_of(text), "a"))
    assert errors(fixed) == [] and table_of(fixed).indexes[0].columns == ("a",)
    text = "Table t {\n\ta int\n}\n"
    fixed = edit_text(text, fixes.add_check(table_of(text), "a > 0"))
    assert fixed == "Table t {\n\ta int\n\n\tchecks {\n\t\t`a > 0`\n\t}\n}\n"


def test_delete_lines_removes_the_whole_line_but_not_neighbours() -> None:
    text = "Table t {\n  a int\n  b int // old\n  c int\n}\n"
    table = table_of(text)
    assert edit_text(text, fixes.delete_lines(table.columns[1].span)) == "Table t {\n  a int\n  c int\n}\n"
    one_line = "Table t { a int }\n"
    fixed = edit_text(one_line, fixes.delete_lines(table_of(one_line).columns[0].span))
    assert fixed == "Table t {  }\n"


def test_after_table_writes_blocks_after_it() -> None:
    text = "Table t {\n  a int\n}\n// next\nTable u {\n  b int\n}\n"
    fixed = edit_text(text, fixes.after_table(table_of(text), ["Table v {\n  c int\n}"]))
    assert fixed.startswith("Table t {\n  a int\n}\n\nTable v {\n  c int\n}\n// next")
