"""The formatter: same meaning, idempotent, comments kept, on the samples and the DBML corpus; and the
canonical layout on small examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdsl.format import format_block, format_edits, format_range, format_text
from dbdsl.syntax.scan import comments
from dbdsl.workspace import Workspace
from tests.conformance.model_json import from_schema
from tests.helpers import CORPUS, SAMPLES, require_corpus


def inputs() -> list[Path]:
    return sorted(SAMPLES.glob("*.dbml"))


def corpus_inputs() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.rglob("*.dbml"))


def analysed(path: Path, text: str):
    ws = Workspace()
    ws.open(str(path), text)
    analysis = ws.analyze(str(path))
    return analysis.schema, [(f.code, f.message) for f in analysis.findings]


def check_same_meaning(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    out = format_text(text)
    assert format_text(out) == out, f"{path.name}: formatting twice changes the text"
    schema, findings = analysed(path, text)
    new_schema, new_findings = analysed(path, out)
    assert from_schema(new_schema, own_parts_only=False) == from_schema(schema, own_parts_only=False), path.name
    assert new_schema == schema, path.name
    assert new_findings == findings, path.name
    before = [c.text.rstrip() for c in comments(text)]
    assert [c.text.rstrip() for c in comments(out)] == before, f"{path.name}: comments changed"
    return out


@pytest.mark.parametrize("path", inputs(), ids=lambda p: p.name)
def test_samples_keep_their_meaning(path: Path) -> None:
    out = check_same_meaning(path)
    assert out == path.read_text(encoding="utf-8"), f"{path.name} is not formatted: run dbdsl fmt samples/"


def test_corpus_keeps_its_meaning() -> None:
    require_corpus()
    paths = corpus_inputs()
    assert len(paths) > 100
    changed = 0
    for path in paths:
        changed += check_same_meaning(path) != path.read_text(encoding="utf-8")
    assert changed > 50  # the corpus is written in many styles: most files get reformatted


MESSY = """\
// a header comment
table   users   as U  [headercolor: #3498DB]{ // people
  id   int [pk,increment] // the key
  // contact
  "e mail"    varchar(255)   [unique,   not null]

  created_at timestamp [default: `now()`]
  Indexes {
    ( id ,"e mail" ) [unique]
  }
  note: 'Users of the app'
}
ref:users.id<posts.user_id
Ref   named : users.id - profiles.user_id



enum status{
  active   [note:'on']
  inactive
}
/* trailing */
"""

FORMATTED = """\
// a header comment
Table users as U [headercolor: #3498DB] { // people
  id       int          [pk, increment] // the key
  // contact
  "e mail" varchar(255) [unique, not null]

  created_at timestamp [default: `now()`]
  indexes {
    (id, "e mail") [unique]
  }
  Note: 'Users of the app'
}

Ref: users.id < posts.user_id
Ref named: users.id - profiles.user_id

Enum status {
  active [note: 'on']
  inactive
}
/* trailing */
"""


def test_canonical_layout() -> None:
    assert format_text(MESSY) == FORMATTED
    assert format_text(FORMATTED) == FORMATTED


def test_blocks_with_syntax_errors_are_kept_as_written() -> None:
    text = "Table a {\n  id int [pk\n}\n\nTable   b {\n  x   int\n}\n"
    assert format_text(text) == "Table a {\n  id int [pk\n}\n\nTable b {\n  x int\n}\n"


def test_comments_inside_an_item_keep_the_item_as_written() -> None:
    block = "Table t {\n  a   int /* why */ [pk]\n  b   text\n}"
    assert format_block(block) == "Table t {\n  a   int /* why */ [pk]\n  b text\n}"


def test_multiline_strings_are_copied_exactly() -> None:
    text = "Table t {\n  a int\n  Note: '''\n      indented\n    less\n  '''\n}\n"
    out = format_text(text)
    assert "'''\n      indented\n    less\n  '''" in out
    assert check_text(text, out)


def check_text(text: str, out: str) -> bool:
    a, _ = analysed(Path("/virtual/t.dbml"), text)
    b, _ = analysed(Path("/virtual/t.dbml"), out)
    return a == b


def test_crlf_line_ends_are_kept() -> None:
    text = "Table   t {\r\n  id int\r\n}\r\n"
    assert format_text(text) == "Table t {\r\n  id int\r\n}\r\n"
    edits = format_edits(text)
    assert apply(text, edits) == format_text(text)


def apply(text: str, edits) -> str:
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.new_text + text[e.end :]
    return text


@pytest.mark.parametrize("path", inputs(), ids=lambda p: p.name)
def test_edits_give_the_formatted_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert apply(text, format_edits(text)) == format_text(text)


def test_range_formatting_touches_only_the_blocks_in_range() -> None:
    text = "Table   a {\n  x   int\n}\n\nTable   b {\n  y   int\n}\n"
    start = text.index("Table   b")
    edits = format_range(text, start, start + 3)
    assert apply(text, edits) == "Table   a {\n  x   int\n}\n\nTable b {\n  y int\n}\n"
    assert format_range(text, len(text), len(text)) == []


def test_long_names_do_not_widen_the_alignment() -> None:
    long = "a" * 50
    text = f"Table t {{\n  id int [pk]\n  {long} text\n  nm varchar [not null]\n}}\n"
    out = format_text(text)
    assert f"  {long} text\n" in out and "  id int     [pk]\n  " in out


def test_empty_record_fields_and_a_whole_diagram_view_keep_their_meaning() -> None:
    text = "Table t {\n  id int\n  a int\n}\nRecords t(id, a) {\n  1,   \n  ,2\n}\nDiagramView all {   *   }\n"
    out = format_text(text)
    assert out == (
        "Table t {\n  id int\n  a  int\n}\n\nRecords t(id, a) {\n  1,\n  , 2\n}\n\nDiagramView all {\n  *\n}\n"
    )
    assert check_text(text, out)
