"""ERDs drawn by real Graphviz (SVG read back: a node per table, edges between the exact column rows,
clusters per TableGroup, 100 tables laid out readably), Mermaid's erDiagram and the text diagram."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dbdsl.emit.erd import UnknownTable, render, text_diagram, to_dot, to_mermaid
from dbdsl.emit.erd.graph import links
from dbdsl.workspace import Workspace
from tests.helpers import SAMPLES

from . import svg
from .big_schema import big_schema_text

SAMPLE_PATHS = sorted(SAMPLES.glob("*.dbml"))


def schema_of(path: Path):
    analysis = Workspace().analyze(str(path))
    assert not analysis.errors
    return analysis.schema


def schema_from(tmp_path: Path, text: str):
    path = tmp_path / "s.dbml"
    path.write_text(text, encoding="utf-8")
    return schema_of(path)


# ---------------------------------------------------------------- Graphviz


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.stem)
def test_svg_has_a_node_per_table_and_edges_between_the_exact_columns(path: Path) -> None:
    schema = schema_of(path)
    root = svg.parse(render(schema, "svg"))
    nodes = svg.groups(root, "node")
    assert set(nodes) == {f"table:{t.qualified}" for t in schema.tables}
    boxes = {name.removeprefix("table:"): svg.node_box(g) for name, g in nodes.items()}
    for table in schema.tables:  # header plus one row per column
        assert len(boxes[table.qualified].rows) == len(table.columns) + 1, table.name
    edges = svg.groups(root, "edge")
    drawn = links(schema)
    assert len(edges) == len(drawn)
    for link in drawn:
        parent, child = link.parent.qualified, link.child.qualified
        child_end = f"{child}.{_cols(link.child_columns)}"
        edge = edges[f"ref:{child_end}->{parent}.{_cols(link.parent_columns)}"]
        parent_box, child_box = boxes[parent], boxes[child]
        parent_row = parent_box.rows[1 + [c.name for c in link.parent.columns].index(link.parent_columns[0])]
        child_row = child_box.rows[1 + [c.name for c in link.child.columns].index(link.child_columns[0])]
        # from the key's row on the east side into the foreign key's row on the west side (east: a loop)
        child_side = child_box.right if link.self_reference else child_box.left
        x0, y0 = svg.touch_point(edge, parent_box.right, parent_row)
        x1, y1 = svg.touch_point(edge, child_side, child_row)
        assert abs(x0 - parent_box.right) < 3 and abs(x1 - child_side) < 3, f"{child_end}: not at the tables"
        assert abs(y0 - parent_row) < 3, f"{child_end}: the edge leaves {parent} at the wrong row"
        assert abs(y1 - child_row) < 3, f"{child_end}: the edge enters {child} at the wrong row"


def _cols(columns: tuple[str, ...]) -> str:
    return columns[0] if len(columns) == 1 else "(" + ",".join(columns) + ")"


def test_table_groups_are_clusters_holding_their_tables() -> None:
    schema = schema_of(SAMPLES / "ecommerce.dbml")
    root = svg.parse(render(schema, "svg"))
    clusters = svg.groups(root, "cluster")
    assert set(clusters) == {"group:catalogue", "group:sales"}
    boxes = {k.removeprefix("table:"): svg.node_box(g) for k, g in svg.groups(root, "node").items()}
    for group in schema.groups:
        area = svg.node_box(clusters[f"group:{group.name}"])
        for _, name in group.tables:
            box = boxes[name]
            assert area.left <= box.left and box.right <= area.right and area.top <= box.top <= area.bottom


def test_crows_feet_follow_cardinality_and_optionality(tmp_path: Path) -> None:
    schema = schema_from(
        tmp_path,
        """
Table users {
  id int [pk]
}
Table profiles {
  user_id int [pk]
}
Table posts {
  id int [pk]
  author_id int [not null, ref: > users.id]
  editor_id int [ref: > users.id]
}
Table tags {
  id int [pk]
}
Ref: profiles.user_id - users.id
Ref: posts.id <> tags.id
""",
    )
    dot = to_dot(schema)
    edges = {re.search(r'id="ref:([^"]+)"', line).group(1): line for line in dot.splitlines() if "ref:" in line}

    def ends(key: str) -> tuple[str, str]:
        text = edges[key]
        return re.search(r"arrowtail=(\w+)", text).group(1), re.search(r"arrowhead=(\w+)", text).group(1)

    assert ends("posts.author_id->users.id") == ("teetee", "crowodot")  # exactly one user, many posts
    assert ends("posts.editor_id->users.id") == ("teeodot", "crowodot")  # zero or one editor
    assert ends("profiles.user_id->users.id") == ("teetee", "teeodot")  # one to zero-or-one
    assert ends("tags.id->posts.id") == ("crowodot", "crowodot")  # many to many


def test_names_that_need_quoting_in_dot_are_safe(tmp_path: Path) -> None:
    schema = schema_from(
        tmp_path,
        'Table "a:b <c> & \\"d\\"" {\n  "id:1" int [pk]\n}\n'
        'Table "x y" {\n  "ref&col" int [ref: > "a:b <c> & \\"d\\""."id:1"]\n}\n',
    )
    root = svg.parse(render(schema, "svg"))
    assert set(svg.groups(root, "node")) == {'table:a:b <c> & "d"', "table:x y"}
    assert len(svg.groups(root, "edge")) == 1


def test_png_is_a_png() -> None:
    data = render(schema_of(SAMPLES / "blog.dbml"), "png")
    assert isinstance(data, bytes) and data.startswith(b"\x89PNG\r\n\x1a\n")


def test_one_hundred_tables_are_laid_out_readably(tmp_path: Path) -> None:
    schema = schema_from(tmp_path, big_schema_text())
    assert len(schema.tables) == 100
    root = svg.parse(render(schema, "svg"))
    nodes = svg.groups(root, "node")
    assert len(nodes) == 100 and len(svg.groups(root, "cluster")) == 10
    width, height = svg.size(root)
    view_width, view_height = (float(n) for n in root.get("viewBox").split()[2:])
    assert abs(view_width - width) < 1 and abs(view_height - height) < 1  # drawn at scale 1: text stays 10pt
    assert 1 / 3 <= width / height <= 3, f"{width:.0f} x {height:.0f} pt is a strip, not a diagram"
    boxes = [svg.node_box(g) for g in nodes.values()]
    covered = sum((b.right - b.left) * (b.bottom - b.top) for b in boxes)
    assert covered / (width * height) > 0.12, "tables cover too little of the drawing: too much empty space"
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1 :]), "tables overlap"


def test_large_schemas_are_laid_out_with_bounded_effort(tmp_path: Path) -> None:
    """Past 150 tables dot's crossing minimisation would take minutes: the layout effort is bounded,
    and the drawing still has every table, none overlapping."""
    assert "mclimit" not in to_dot(schema_from(tmp_path, big_schema_text()))
    schema = schema_from(tmp_path, big_schema_text(domains=20))
    assert len(schema.tables) == 200
    assert "mclimit=0.1" in to_dot(schema) and "nslimit=1" in to_dot(schema)
    nodes = svg.groups(svg.parse(render(schema, "svg")), "node")
    assert len(nodes) == 200
    boxes = [svg.node_box(g) for g in nodes.values()]
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1 :]), "tables overlap"


# ---------------------------------------------------------------- Mermaid

ENTITY = re.compile(r"^    ([A-Za-z_][A-Za-z0-9_]*) \{$")
WORD = r"[A-Za-z_][A-Za-z0-9_]*"
ATTRIBUTE = re.compile(rf'^        {WORD} {WORD}( (PK|FK|UK)(, (PK|FK|UK))*)?( "[^"]*")?$')
RELATIONSHIP = re.compile(r'^    ([A-Za-z_]\w*) (\|\||\|o|\}o)(--|\.\.)(\|\||o\||o\{) ([A-Za-z_]\w*) : "[^"]*"$')


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.stem)
def test_mermaid_is_an_er_diagram_in_mermaids_grammar(path: Path) -> None:
    schema = schema_of(path)
    lines = to_mermaid(schema).splitlines()
    assert lines[0] == "erDiagram"
    entities = [m.group(1) for line in lines if (m := ENTITY.match(line))]
    assert entities == [t.name for t in schema.tables]
    attributes = [line for line in lines if line.startswith("        ")]
    assert len(attributes) == sum(len(t.columns) for t in schema.tables)
    assert all(ATTRIBUTE.match(a) for a in attributes), [a for a in attributes if not ATTRIBUTE.match(a)]
    relationships = [line for line in lines if "--" in line or ".." in line.split('"')[0]]
    assert len(relationships) == len(links(schema))
    assert all(RELATIONSHIP.match(r) for r in relationships), relationships
    assert set(lines) <= {*attributes, *relationships, "erDiagram", "    }", *(f"    {e} {{" for e in entities)}


def test_mermaid_words_types_and_markers(tmp_path: Path) -> None:
    schema = schema_from(
        tmp_path,
        """
Table app.users {
  id int [pk]
  "e-mail address" varchar(320) [unique, note: 'the "login"']
  balance decimal(12,2)
  scores int[]
  height "double precision"
}
Table "2fa codes" {
  user_id int [pk, ref: - app.users.id]
}
""",
    )
    text = to_mermaid(schema)
    assert "    app_users {" in text and "    _2fa_codes {" in text
    assert "        int id PK\n" in text
    assert "        varchar_320 e_mail_address UK \"e-mail address · the 'login'\"\n" in text
    assert "        decimal_12_2 balance\n" in text and "        int_array scores\n" in text
    assert "        double_precision height\n" in text
    assert '    app_users ||--o| _2fa_codes : "user_id"\n' in text  # identifying one-to-one


# ---------------------------------------------------------------- text


def test_text_diagram_of_a_focus_table() -> None:
    schema = schema_of(SAMPLES / "ecommerce.dbml")
    text = text_diagram(schema, "orders")
    assert text.startswith("┌")
    first_box = text.split("└")[0]
    for column in schema.table("orders").columns:
        assert f"│ {column.name} " in first_box
    assert "│ orders (20M rows)" in first_box
    for neighbour in ("customers", "addresses", "order_items", "payments", "shipments"):
        assert f"│ {neighbour}" in text
    assert "stock_levels" not in text  # two relationships away
    assert re.search(r"^orders\.customer_id +\* >── 1 +customers\.id$", text, re.M)
    assert re.search(r"^orders\.id +1 ──< \* +order_items\.order_id$", text, re.M)
    assert "│ … 4 more columns" in text  # customers: only its key columns are shown


def test_text_diagram_cardinalities(tmp_path: Path) -> None:
    schema = schema_from(
        tmp_path,
        """
Table users {
  id int [pk]
}
Table profiles {
  user_id int [pk, ref: - users.id]
}
Table posts {
  id int [pk]
  editor_id int [ref: > users.id]
}
Table tags {
  id int [pk]
}
Ref: posts.id <> tags.id
""",
    )
    text = text_diagram(schema, "users")
    assert re.search(r"^users\.id +1 ─── 0\.\.1 +profiles\.user_id$", text, re.M)
    assert re.search(r"^users\.id +0\.\.1 ──< \* +posts\.editor_id$", text, re.M)
    assert "tags" not in text
    whole = text_diagram(schema)
    assert re.search(r"^posts\.id +\* >─< \* +tags\.id$", whole, re.M)
    assert text_diagram(schema, ("public", "posts")).startswith("┌─")


def test_text_boxes_line_up_with_wide_characters(tmp_path: Path) -> None:
    schema = schema_from(tmp_path, 'Table "顧客" {\n  "名前" varchar(10) [pk]\n  note_é text\n}\n')
    text = text_diagram(schema)
    from dbdsl.emit.erd.text import _width

    widths = {_width(line) for line in text.splitlines()}
    assert len(widths) == 1, text


def test_focus_by_alias_and_unknown_focus(tmp_path: Path) -> None:
    schema = schema_from(tmp_path, "Table accounts as A {\n  id int [pk]\n}\n")
    assert "accounts" in text_diagram(schema, "A")
    with pytest.raises(UnknownTable, match="no table 'nope'"):
        render(schema, "txt", "nope")
