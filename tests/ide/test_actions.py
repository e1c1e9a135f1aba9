"""Code actions from findings: fixes, fix all of a kind, fix all, suppress here.

The findings here are built on real spans of a parsed file; their fixes are edits of the kind the
linter produces (TextEdits in absolute code points)."""

from __future__ import annotations

from dbdsl.findings import Applicability, Finding, Fix, Severity, TextEdit, apply_edits
from dbdsl.ide.actions import actions_for, fix_all, suppress_edit
from dbdsl.model.spans import Span
from dbdsl.workspace import SourceFile

TEXT = """\
Table users {
  id int [pk]
  email text
  phone text
}
"""


def finding(
    code: str, needle: str, *, fix: str | None = None, category: str = "constraint", safe: bool = True
) -> Finding:
    source = SourceFile("/virtual/a.dbml", TEXT)
    entry = source.entries[0]
    at = TEXT.index(needle)
    span = Span(entry.anchor, at, at + len(needle))
    fixes = ()
    if fix is not None:
        end = TEXT.index("\n", at)
        applicability = Applicability.SAFE if safe else Applicability.UNSAFE
        fixes = (Fix(f"Add {fix}", (TextEdit(span.file, end, end, f" [{fix}]"),), applicability),)
    return Finding(code, category, Severity.WARNING, f"{needle}: problem", span, fixes)


def test_quick_fixes_fix_all_of_a_kind_and_suppress() -> None:
    email = finding("C900", "email", fix="unique")
    phone = finding("C900", "phone", fix="unique")
    actions = actions_for(TEXT, [email, phone], TEXT.index("email"), TEXT.index("email"))
    assert [(a.title, a.kind) for a in actions] == [
        ("Add unique", "quickfix"),
        ("Fix all C900 problems in this file", "quickfix"),
        ("Suppress C900 here", "quickfix"),
    ]
    assert actions[0].preferred
    assert apply_edits(TEXT, actions[1].edits) == TEXT.replace("email text", "email text [unique]").replace(
        "phone text", "phone text [unique]"
    )
    assert apply_edits(TEXT, actions[2].edits) == TEXT.replace("  email", "  // dbdsl: ignore[C900]\n  email")


def test_unsafe_fixes_are_offered_one_at_a_time_and_marked() -> None:
    email = finding("C900", "email", fix="unique", safe=False)
    phone = finding("C900", "phone", fix="unique", safe=False)
    actions = actions_for(TEXT, [email, phone], TEXT.index("email"), TEXT.index("email"))
    assert [(a.title, a.kind, a.preferred) for a in actions] == [
        ("Add unique (unsafe: changes what data the schema accepts)", "quickfix", False),
        ("Suppress C900 here", "quickfix", False),
    ]
    assert fix_all([email, phone]) is None
    mixed = fix_all([email, finding("C901", "phone", fix="note: 'x'")])
    assert mixed is not None and apply_edits(TEXT, mixed.edits) == TEXT.replace("phone text", "phone text [note: 'x']")


def test_errors_are_not_suppressible() -> None:
    error = finding("E102", "email", category="semantic")
    assert actions_for(TEXT, [error], 0, len(TEXT)) == []


def test_suppress_extends_an_ignore_comment_already_there() -> None:
    text = TEXT.replace("  email", "  // dbdsl: ignore[S100]\n  email")
    source = SourceFile("/virtual/a.dbml", text)
    at = text.index("email")
    f = Finding("C900", "constraint", Severity.WARNING, "m", Span(source.entries[0].anchor, at, at + 5))
    edit = suppress_edit(text, f)
    assert apply_edits(text, [edit]) == TEXT.replace("  email", "  // dbdsl: ignore[S100, C900]\n  email")


def test_fix_all_skips_overlapping_fixes() -> None:
    a = finding("C900", "email", fix="unique")
    b = finding("C901", "email", fix="not null")  # edits the same place
    c = finding("C900", "phone", fix="unique")
    action = fix_all([a, b, c])
    assert action.kind == "source.fixAll" and len(action.edits) == 2
    assert apply_edits(TEXT, action.edits).count("[unique]") == 2
    assert fix_all([finding("C900", "email")]) is None


def test_suppress_keeps_crlf() -> None:
    text = TEXT.replace("\n", "\r\n")
    source = SourceFile("/virtual/a.dbml", text)
    at = text.index("email")
    f = Finding("C900", "constraint", Severity.WARNING, "m", Span(source.entries[0].anchor, at, at + 5))
    assert suppress_edit(text, f).new_text == "  // dbdsl: ignore[C900]\r\n"
