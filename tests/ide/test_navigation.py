"""Names and what they stand for: definition, references across files, rename with collision checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dbdsl.ide import navigate
from dbdsl.ide.rename import RenameError, prepare_rename, rename
from dbdsl.workspace import Workspace

from .support import Project, apply

CORE = """\
Enum core.status {
  active
  gone
}

TablePartial audited {
  created_by int [ref: > core.users.id]
}

Table core.users as U {
  id int [pk]
  email text [unique]
  state core.status [default: core.status.active]
}
"""

APP = """\
use * from './core'

Table orders {
  id int [pk]
  buyer int [ref: > U.id]
  seller int
  ~audited
  indexes {
    (buyer, seller) [include: (id)]
  }
}

Table invoices {
  created_by int
  ~audited
}

Ref: orders.seller > core.users.id
Ref: orders.(id, buyer) - invoices.(created_by, created_by)

TableGroup sales {
  orders
}

Query recent {
  '''
  SELECT o.id, u.email FROM orders o JOIN core.users u ON u.id = o.buyer WHERE seller = 1
  '''
}
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path, {"core.dbml": CORE, "app.dbml": APP, "other.dbml": "Table users {\n  id int\n}\n"})


def names_at(project: Project, name: str, needle: str, delta: int = 0) -> tuple:
    occ = project.view(name).occurrence_at(project.at(name, needle, delta))
    return (occ.kind, occ.symbol.label if occ.symbol else None, occ.via_alias, occ.in_sql)


def test_names_resolve_like_the_linker(project: Project) -> None:
    assert names_at(project, "app.dbml", "U.id") == ("table", "users", True, False)
    assert names_at(project, "app.dbml", "U.id", 2) == ("column", "core.users.id", False, False)
    assert names_at(project, "app.dbml", "users.id") == ("table", "users", False, False)
    assert names_at(project, "app.dbml", "~audited", 1) == ("partial", "audited", False, False)
    assert names_at(project, "app.dbml", "(buyer, seller)", 1) == ("column", "orders.buyer", False, False)
    assert names_at(project, "app.dbml", "include: (id)", 10) == ("column", "orders.id", False, False)
    # invoices defines its own created_by, which wins over the partial's
    assert names_at(project, "app.dbml", "(created_by, created_by)", 1)[1] == "invoices.created_by"
    assert names_at(project, "app.dbml", "  orders\n}", 2)[:2] == ("table", "orders")
    assert names_at(project, "core.dbml", "core.status.active", 12) == ("enum_value", "active", False, False)
    assert names_at(project, "core.dbml", "state core.status", 11) == ("enum", "status", False, False)
    # inside the Query's SQL: tables, aliases' columns and bare columns of the query's tables
    assert names_at(project, "app.dbml", "orders o JOIN") == ("table", "orders", False, True)
    assert names_at(project, "app.dbml", "u.email", 2) == ("column", "core.users.email", False, True)
    assert names_at(project, "app.dbml", "seller = 1") == ("column", "orders.seller", False, True)


def test_definition_goes_to_the_other_file(project: Project) -> None:
    (loc,) = navigate.definition(project.view("app.dbml"), project.at("app.dbml", "U.id", 2))
    assert loc.file == project.path("core.dbml") and loc.start == project.at("core.dbml", "id int")
    (loc,) = navigate.definition(project.view("app.dbml"), project.at("app.dbml", "~audited", 1))
    assert loc.start == project.at("core.dbml", "audited")


def test_references_across_files_and_the_alias(project: Project) -> None:
    session = project.session
    refs = navigate.references(session, project.view("core.dbml"), project.at("core.dbml", "users as"))
    where = sorted((Path(r.file).name, r.start) for r in refs)
    assert where == sorted(
        [
            ("core.dbml", project.at("core.dbml", "users.id")),
            ("core.dbml", project.at("core.dbml", "users as")),
            ("app.dbml", project.at("app.dbml", "U.id")),
            ("app.dbml", project.at("app.dbml", "users.id")),
            ("app.dbml", project.at("app.dbml", "users u ON")),
        ]
    )
    # on the alias itself: only the places that use the alias (and where it is defined)
    alias = navigate.references(session, project.view("app.dbml"), project.at("app.dbml", "U.id"))
    assert sorted((Path(r.file).name, r.start) for r in alias) == [
        ("app.dbml", project.at("app.dbml", "U.id")),
        ("core.dbml", project.at("core.dbml", "U {")),
    ]
    # the same name in a file that does not import core.dbml is another table
    assert not any(r.file.endswith("other.dbml") for r in refs)


def renamed(project: Project, name: str, needle: str, delta: int, new: str) -> dict[str, str]:
    edits = rename(project.session, project.view(name), project.at(name, needle, delta), new)
    return {Path(f).name: apply(project.texts[Path(f).name], e) for f, e in edits.items()}


def test_rename_a_table_everywhere_but_its_alias(project: Project) -> None:
    out = renamed(project, "core.dbml", "users as", 0, "members")
    assert "Table core.members as U {" in out["core.dbml"] and "ref: > core.members.id" in out["core.dbml"]
    assert "ref: > U.id" in out["app.dbml"] and "Ref: orders.seller > core.members.id" in out["app.dbml"]
    assert "JOIN core.members u ON" in out["app.dbml"]
    for name, text in out.items():
        (Path(project.root) / name).write_text(text)
    ws = Workspace()
    assert not ws.analyze(project.path("app.dbml")).errors


def test_rename_quotes_when_needed(project: Project) -> None:
    out = renamed(project, "app.dbml", "seller int", 0, "sold by")
    text = out["app.dbml"]
    assert '"sold by" int' in text and '(buyer, "sold by")' in text and 'Ref: orders."sold by" >' in text
    assert 'WHERE "sold by" = 1' in text


def test_rename_an_alias_a_partial_column_and_an_enum_value(project: Project) -> None:
    out = renamed(project, "app.dbml", "U.id", 0, "Usr")
    assert "as Usr {" in out["core.dbml"] and "ref: > Usr.id" in out["app.dbml"]
    out = renamed(project, "core.dbml", "created_by int", 0, "author")
    assert "author int [ref" in out["core.dbml"] and "app.dbml" not in out  # invoices' own column stays
    out = renamed(project, "core.dbml", "  active", 2, "live")
    assert "  live\n" in out["core.dbml"] and "default: core.status.live" in out["core.dbml"]


@pytest.mark.parametrize(
    ("name", "needle", "delta", "new", "message"),
    [
        ("app.dbml", "Table orders", 6, "invoices", "a table 'invoices' already exists"),
        ("app.dbml", "seller int", 0, "buyer", "table 'orders' already has a column 'buyer'"),
        # `invoices` has its own created_by: renaming the partial's column to a name a table defines
        # would change which column wins
        ("core.dbml", "created_by int", 0, "seller", "table 'orders' (which injects 'audited') already has"),
        ("app.dbml", "U.id", 0, "orders", "a table 'orders' already exists; an alias cannot"),
        ("core.dbml", "  active", 2, "gone", "enum 'core.status' already has a value 'gone'"),
        ("app.dbml", "seller int", 0, "  ", "the new name is empty"),
    ],
)
def test_rename_refuses_collisions(project: Project, name: str, needle: str, delta: int, new: str, message: str):
    with pytest.raises(RenameError, match=re.escape(message)):
        rename(project.session, project.view(name), project.at(name, needle, delta), new)


DUPLICATES = """\
Table users {
  id int
  id int
}

Table users {
  id int
}

Enum state {
  a
}

Enum state {
  b
}
"""


@pytest.mark.parametrize(("needle", "occurrence"), [("users", 1), ("id int", 1), ("state", 1)])
def test_rename_a_second_definition_renames_it_alone(tmp_path: Path, needle: str, occurrence: int) -> None:
    project = Project(tmp_path, {"dup.dbml": DUPLICATES})
    at = project.at("dup.dbml", needle, 1, occurrence)
    edits = rename(project.session, project.view("dup.dbml"), at, "other")
    start = project.at("dup.dbml", needle, 0, occurrence)
    assert [(e.start, e.end, e.new_text) for e in edits[project.path("dup.dbml")]] == [
        (start, start + len(needle.split()[0]), "other")
    ]


def test_each_alias_is_its_own_symbol(tmp_path: Path) -> None:
    """Each alias, where it is declared, is its own symbol (through the lookup the editor makes)."""
    text = "".join(f"Table t{i} as A{i} {{\n  id int\n}}\n" for i in range(3))
    project = Project(tmp_path, {"a.dbml": text})
    at = [project.at("a.dbml", f"as A{i}", 3) for i in range(3)]
    found = [project.view("a.dbml").occurrence_at(offset) for offset in at]
    assert [(o.kind, o.symbol.label if o.symbol else None) for o in found] == [("alias", f"A{i}") for i in range(3)]
    assert [o.symbol.key_start for o in found if o.symbol] == [
        t.name_span.start_offset for t in project.view("a.dbml").schema.tables if t.name_span
    ]


def test_prepare_rename(project: Project) -> None:
    view = project.view("app.dbml")
    start, end, name = prepare_rename(view, project.at("app.dbml", "buyer int", 2))
    assert (name, start, end) == ("buyer", project.at("app.dbml", "buyer int"), project.at("app.dbml", "buyer int", 5))
    with pytest.raises(RenameError, match=r"nothing to rename|no table"):
        prepare_rename(view, project.at("app.dbml", "use *"))


def test_document_links(project: Project) -> None:
    (link,) = navigate.document_links(project.view("app.dbml"))
    assert link.target == project.path("core.dbml")
    assert project.texts["app.dbml"][link.start : link.end] == "./core"


def test_names_the_binder_finds_the_ide_finds(tmp_path: Path) -> None:
    """A second name a `use` gave a table and a three-part name: the IDE looks them up as the binder does."""
    main = (
        "use { table people as p } from './base'\n\n"
        "Table posts {\n  id int [pk]\n  author int [ref: > p.id]\n}\n\n"
        "Table a.b.c {\n  id int [pk]\n}\n\n"
        "Ref: posts.id - a.b.c.id\n"
    )
    project = Project(tmp_path, {"base.dbml": "Table people {\n  id int [pk]\n}\n", "main.dbml": main})
    analysis = Workspace().analyze(project.path("main.dbml"))
    assert not analysis.errors, analysis.errors
    assert names_at(project, "main.dbml", "p.id") == ("table", "p", False, False)
    assert names_at(project, "main.dbml", "p.id", 2) == ("column", "p.id", False, False)
    assert names_at(project, "main.dbml", "a.b.c.id", 4) == ("table", "c", False, False)
    assert names_at(project, "main.dbml", "a.b.c.id", 6) == ("column", "a.b.c.id", False, False)
    # the table's own body knows the name too: renaming the column from the Ref renames both
    assert names_at(project, "main.dbml", "Table a.b.c {\n  id", 16) == ("column", "a.b.c.id", False, False)
    out = renamed(project, "main.dbml", "a.b.c.id", 6, "key")
    assert "Table a.b.c {\n  key int [pk]" in out["main.dbml"] and "a.b.c.key\n" in out["main.dbml"]
