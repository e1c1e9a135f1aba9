"""The module system: `use` and `reuse`, import all or some, aliases, cycles, missing files."""

from __future__ import annotations

from pathlib import Path

from dbdsl.workspace import Workspace


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


BASE = """
Table users {
  id int [pk]
}
Table orders {
  id int [pk]
  user_id int
}
Ref: orders.user_id > users.id
Enum status {
  active
  closed
}
"""


def analyze(folder: Path, name: str = "main.dbml"):
    return Workspace().analyze(str(folder / name))


def test_use_all_imports_every_element(tmp_path: Path) -> None:
    write(
        tmp_path, {"base.dbml": BASE, "main.dbml": "use * from './base'\nTable extra {\n  id int [pk]\n  s status\n}\n"}
    )
    analysis = analyze(tmp_path)
    assert not analysis.errors, analysis.errors
    assert {t.name for t in analysis.schema.tables} == {"users", "orders", "extra"}
    assert len(analysis.schema.refs) == 1
    assert analysis.schema.table("extra").column("s").enum == "status"


def test_selective_import_brings_refs_between_imported_tables(tmp_path: Path) -> None:
    main = "use {\n  table users\n  table orders\n} from './base.dbml'\n"
    write(tmp_path, {"base.dbml": BASE, "main.dbml": main})
    schema = analyze(tmp_path).schema
    assert {t.name for t in schema.tables} == {"users", "orders"}
    assert schema.enums == ()
    assert len(schema.refs) == 1


def test_selective_import_leaves_out_what_is_not_named(tmp_path: Path) -> None:
    write(tmp_path, {"base.dbml": BASE, "main.dbml": "use {\n  table users\n} from './base'\n"})
    schema = analyze(tmp_path).schema
    assert [t.name for t in schema.tables] == ["users"] and schema.refs == ()


def test_alias_renames_an_imported_enum(tmp_path: Path) -> None:
    main = "use {\n  enum status as state\n} from './base'\nTable t {\n  id int [pk]\n  s state\n}\n"
    write(tmp_path, {"base.dbml": BASE, "main.dbml": main})
    analysis = analyze(tmp_path)
    assert analysis.schema.table("t").column("s").enum == "state"


def test_use_is_not_transitive_but_reuse_is(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.dbml": "Table a {\n  id int [pk]\n}\n",
            "b_use.dbml": "use * from './a'\nTable b {\n  id int [pk]\n}\n",
            "b_reuse.dbml": "reuse * from './a'\nTable b {\n  id int [pk]\n}\n",
            "main_use.dbml": "use * from './b_use'\n",
            "main_reuse.dbml": "use * from './b_reuse'\n",
        },
    )
    assert {t.name for t in analyze(tmp_path, "main_use.dbml").schema.tables} == {"b"}
    assert {t.name for t in analyze(tmp_path, "main_reuse.dbml").schema.tables} == {"a", "b"}


def test_cycles_are_allowed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.dbml": "reuse * from './b'\nTable a {\n  id int [pk]\n  b_id int [ref: > b.id]\n}\n",
            "b.dbml": "reuse * from './a'\nTable b {\n  id int [pk]\n}\n",
        },
    )
    analysis = analyze(tmp_path, "a.dbml")
    assert not analysis.errors, analysis.errors
    assert {t.name for t in analysis.schema.tables} == {"a", "b"}


def test_missing_file_and_missing_element_are_errors(tmp_path: Path) -> None:
    main = "use * from './nowhere'\nuse {\n  table ghosts\n} from './base'\n"
    write(tmp_path, {"base.dbml": BASE, "main.dbml": main})
    errors = analyze(tmp_path).errors
    assert [e.code for e in errors] == ["E118", "E119"]
    assert errors[0].span.text == "'./nowhere'"
    assert "ghosts" in errors[1].message


def test_errors_of_imported_files_make_one_error_at_the_import(tmp_path: Path) -> None:
    """The official compiler rejects a file whose imports do not compile; the errors themselves are the
    imported file's, reported when that file is checked."""
    write(tmp_path, {"base.dbml": "Table t {\n  id int [pk,]\n}\n", "main.dbml": "use * from './base'\n"})
    findings = analyze(tmp_path).findings
    assert all(f.span.file.endswith("main.dbml") for f in findings)
    assert [(f.code, f.severity.value) for f in findings] == [("E118", "error")]
    assert "has 1 error(s) of its own" in findings[0].message
