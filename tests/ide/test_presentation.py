"""What the editor shows: hovers, relationships in words, outline, folding, semantic tokens, hints, lenses."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdsl.ide.folding import folding_ranges
from dbdsl.ide.highlight import semantic_tokens
from dbdsl.ide.hints import code_lenses, inlay_hints
from dbdsl.ide.hover import hover
from dbdsl.ide.navigate import Location, references
from dbdsl.ide.outline import document_symbols, workspace_symbols
from dbdsl.ide.words import describe_ref, plural, singular
from dbdsl.model.schema import Endpoint, Ref

from .support import Project

SHOP = """\
// Users and posts
// (two comment lines fold together)
Table users {
  id int [pk]
  email text [not null, unique, note: 'login']
  Note: 'People'
}

Table posts {
  id int [pk]
  user_id int [not null, ref: > users.id]
  editor_id int [ref: > users.id]
  ~stamps
  indexes {
    (user_id, id) [unique]
  }
}

TablePartial stamps {
  created_at timestamptz
}

Ref: posts.editor_id - users.email [delete: set null, update: cascade]

Enum status {
  on [note: 'live']
  off
}

Query feed {
  '''
  SELECT p.id FROM posts p WHERE p.user_id = 1
  '''
}
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path, {"shop.dbml": SHOP})


def test_words_for_relationships() -> None:
    assert (singular("categories"), plural("category")) == ("category", "categories")
    assert (singular("addresses"), plural("box"), singular("status")) == ("address", "boxes", "status")
    assert singular("order_items") == "order item"
    # one set of English rules for the editor and the linter
    assert (plural("status"), plural("statuses"), singular("statuses")) == ("statuses", "statuses", "status")
    assert (plural("users"), singular("Users"), plural("data"), singular("people")) == (
        "users",
        "User",
        "data",
        "person",
    )

    def ref(op: str, delete: str | None = None, update: str | None = None) -> str:
        left = Endpoint("public", "posts", ("user_id",), "*")
        right = Endpoint("public", "users", ("id",), "1")
        return describe_ref(Ref(left, op, right, on_delete=delete, on_update=update))

    assert ref(">", "cascade") == "many posts belong to one user; deleting a user deletes their posts"
    assert ref(">", "restrict") == "many posts belong to one user; a user cannot be deleted while posts refer to it"
    assert "sets user_id of their posts to null" in ref(">", "set null")
    assert ref("-").startswith("one post belongs to one user; no delete action is set")
    assert ref("<>").startswith("many posts relate to many users")
    assert ref(">", update="cascade").endswith("changing a user's id updates their posts")


def test_hovers(project: Project) -> None:
    view = project.view("shop.dbml")
    table = hover(view, project.at("shop.dbml", "users.id", 1)).markdown
    assert table.startswith("**Table** `users`\n\nPeople\n\n| Column | Type |")
    assert "| email | text | not null, unique |  | login |" in table
    assert "- `posts.user_id > users.id`: many posts belong to one user; no delete action is set" in table
    column = hover(view, project.at("shop.dbml", "user_id int", 1)).markdown
    assert "references `users.id` (many-to-one)" in column and "- index (user_id, id) unique" in column
    relation = hover(view, project.at("shop.dbml", "Ref: posts", 2)).markdown
    assert relation.startswith("**Relationship** `posts.editor_id - users.email` (one-to-one)")
    assert "deleting a user sets editor_id of its post to null" in relation
    assert "changing a user's email updates its post" in relation
    assert "**Enum** `status`" in hover(view, project.at("shop.dbml", "Enum status", 6)).markdown
    assert "`created_at`" not in hover(view, project.at("shop.dbml", "~stamps", 2)).markdown
    assert "Injected into `posts`" in hover(view, project.at("shop.dbml", "~stamps", 2)).markdown
    assert "```sql\nSELECT p.id" in hover(view, project.at("shop.dbml", "Query feed", 7)).markdown
    assert hover(view, project.at("shop.dbml", "// Users")) is None


def test_column_hover_lists_its_findings(tmp_path: Path) -> None:
    project = Project(tmp_path, {"bad.dbml": "Table t {\n  a int [ref: > nope.id]\n}\n"})
    view = project.view("bad.dbml")
    text = hover(view, project.at("bad.dbml", "a int"), view.analysis.findings).markdown
    assert "**Findings**\n- error E101: unknown table 'nope'" in text


def test_outline(project: Project) -> None:
    items = document_symbols(project.view("shop.dbml"))
    assert [(i.name, i.kind) for i in items] == [
        ("users", "table"),
        ("posts", "table"),
        ("stamps", "partial"),
        ("posts.editor_id - users.email", "ref"),
        ("status", "enum"),
        ("feed", "query"),
    ]
    posts = items[1]
    assert [(c.name, c.kind, c.detail) for c in posts.children] == [
        ("id", "column", "int"),
        ("user_id", "column", "int"),
        ("editor_id", "column", "int"),
        ("(user_id, id)", "index", None),
    ]
    found = workspace_symbols(project.session, "usr")
    assert found[0].name == "users" and found[0].kind == "table"


def test_folding(project: Project) -> None:
    text = SHOP
    folds = {
        (text.count("\n", 0, f.start), text.count("\n", 0, f.end), f.kind)
        for f in folding_ranges(project.view("shop.dbml"))
    }
    assert (0, 1, "comment") in folds
    assert (2, 6, "region") in folds  # Table users
    assert (13, 15, "region") in folds  # indexes { }
    assert (30, 32, "region") in folds  # the Query's ''' string


def test_semantic_tokens(project: Project) -> None:
    view = project.view("shop.dbml")
    kinds = {}
    for t in semantic_tokens(view):
        kinds.setdefault(SHOP[t.start : t.end], set()).add((t.type, t.declaration))
    assert kinds["Table"] == {("keyword", False)}
    assert ("class", True) in kinds["users"] and ("class", False) in kinds["users"]
    assert kinds["int"] == {("type", False)} and ("property", True) in kinds["email"]
    assert kinds["not"] == {("modifier", False)} and ("modifier", False) in kinds["null"]
    assert kinds["cascade"] == {("keyword", False)} and kinds["stamps"] == {("struct", False), ("struct", True)}
    assert ("enumMember", True) in kinds["on"]
    assert kinds["// Users and posts"] == {("comment", False)}
    # the Query's SQL keeps the editor's SQL colours: only its known names get tokens
    assert "SELECT" not in kinds and ("class", False) in kinds["posts"]
    starts = [t.start for t in semantic_tokens(view)]
    assert starts == sorted(starts)


def test_inlay_hints_and_lenses(project: Project) -> None:
    view = project.view("shop.dbml")
    hints = [(SHOP[: h.offset].rsplit("\n", 1)[1][-12:], h.label) for h in inlay_hints(view)]
    assert ("> users.id", "N:1") in [(a.strip()[-10:], b) for a, b in hints]
    assert any(label == ": created_at" for _, label in hints)
    assert any(label == "1:1" for _, label in hints)
    lenses = {(lens.name, lens.kind) for lens in code_lenses(view)}
    assert lenses == {("users", "table"), ("posts", "table"), ("stamps", "partial"), ("status", "enum")}
    # what a lens counts and shows: the uses of the name, not its definition
    path = project.path("shop.dbml")

    def uses(name: str) -> list[Location]:
        return references(project.session, view, project.at("shop.dbml", f"Table {name}", 6), include_declaration=False)

    def at(needle: str, occurrence: int = 0) -> Location:
        start = project.at("shop.dbml", needle, occurrence=occurrence)
        return Location(path, start, start + len(needle))

    assert uses("users") == [at("users", 1), at("users", 2), at("users", 3)]  # two inline refs, the Ref line
    assert uses("posts") == [at("posts", 2), at("posts", 3)]  # the Ref line, the SQL
