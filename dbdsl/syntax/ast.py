"""Syntax tree of one top-level block.

Every node carries `start`/`end`: code-point offsets relative to the start of its block, so a cached
tree stays valid when the block moves inside the file. Nodes are named tuples: cheap to build in the
parser's hot path and immutable.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Name(NamedTuple):
    """An identifier, bare or double-quoted; `text` is unquoted and unescaped."""

    text: str
    quoted: bool
    start: int
    end: int


class Path(NamedTuple):
    """A dotted name such as `schema.table.column`."""

    names: tuple[Name, ...]
    start: int
    end: int

    @property
    def parts(self) -> tuple[str, ...]:
        names = self.names
        if len(names) == 1:  # most names: asked on hot paths (binding, highlighting)
            return (names[0][0],)
        return tuple([n[0] for n in names])  # n.text: indexing and a list are cheaper on a hot path

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


class Value(NamedTuple):
    """A setting or record value.

    kind is one of: string, multiline, number, expression, color, words, ref, tuple, and `empty` (an
    empty field of a records row).
    `text` is the processed value (string content, number text, expression without backticks,
    words joined by spaces); `paths` holds the names of words/ref/tuple values.
    """

    kind: str
    text: str
    paths: tuple[Path, ...]
    op: str | None
    start: int
    end: int


class Setting(NamedTuple):
    """`key` or `key: value` inside `[...]`; `key` is lower-cased, words joined by one space."""

    key: str
    key_start: int
    key_end: int
    value: Value | None
    start: int
    end: int


class Settings(NamedTuple):
    """A bracketed setting list; start/end cover the brackets."""

    items: tuple[Setting, ...]
    start: int
    end: int


class TypeName(NamedTuple):
    """A column type: `varchar(255)`, `int[]`, `schema.enum_type`, `"double precision"`."""

    path: Path
    args: tuple[str, ...] | None
    dims: tuple[str, ...]
    start: int
    end: int

    @property
    def base(self) -> str:
        return self.path.names[-1].text

    @property
    def schema(self) -> str | None:
        return ".".join(self.path.parts[:-1]) or None

    @property
    def text(self) -> str:
        """The type as DBML's model spells it: name, args and array dimensions."""
        out = self.base
        if self.args is not None:
            out += "(" + ",".join(self.args) + ")"
        return out + "".join(self.dims)


class Column(NamedTuple):
    name: Name
    type: TypeName
    settings: Settings | None
    start: int
    end: int


class NoteElement(NamedTuple):
    text: str
    start: int
    end: int


class IndexPart(NamedTuple):
    """One index key: a column name or a backtick expression (kind 'column' or 'expression')."""

    kind: str
    text: str
    start: int
    end: int


class IndexElement(NamedTuple):
    parts: tuple[IndexPart, ...]
    settings: Settings | None
    start: int
    end: int


class CheckElement(NamedTuple):
    expression: str
    settings: Settings | None
    start: int
    end: int


class DependencyElement(NamedTuple):
    """`a -> b, c` or `(a, b) -> c` inside `dependencies { }`."""

    left: tuple[Name, ...]
    right: tuple[Name, ...]
    start: int
    end: int


class Records(NamedTuple):
    """`Records t(a, b) { ... }` at top level (table set) or `Records { ... }` inside a table."""

    table: Path | None
    columns: tuple[Name, ...] | None
    rows: tuple[tuple[Value, ...], ...]
    row_spans: tuple[tuple[int, int], ...]
    start: int
    end: int


class PartialInjection(NamedTuple):
    name: Name
    start: int
    end: int


class SubBlock(NamedTuple):
    """A nested body inside a table (`indexes`, `checks`, `dependencies`) with its elements."""

    kind: str
    elements: tuple
    open_end: int
    close_start: int
    start: int
    end: int


class Endpoint(NamedTuple):
    """One side of a relationship: `table.column`, `schema.table.column` or `table.(a, b)`."""

    path: Path
    tuple_columns: tuple[Name, ...] | None
    start: int
    end: int


class Relation(NamedTuple):
    left: Endpoint
    op: str
    right: Endpoint
    settings: Settings | None
    start: int
    end: int


class EnumValue(NamedTuple):
    name: Name
    settings: Settings | None
    start: int
    end: int


class ProjectSetting(NamedTuple):
    name: Name
    value: Value
    start: int
    end: int


class ImportItem(NamedTuple):
    kind: Name
    path: Path
    alias: Name | None
    start: int
    end: int


class ViewSection(NamedTuple):
    name: Name
    entries: tuple[Path | None, ...]  # None stands for `*`
    start: int
    end: int


class Body(NamedTuple):
    """Brace positions of a block body: where `{` ends and `}` starts (for edits)."""

    open_end: int
    close_start: int


class BlockKind(StrEnum):
    """The kinds of top-level element (`TablePartial` is `partial`, `TableGroup` `group`, `Reuse` `use`)."""

    PROJECT = "project"
    TABLE = "table"
    PARTIAL = "partial"
    ENUM = "enum"
    REF = "ref"
    GROUP = "group"
    NOTE = "note"
    RECORDS = "records"
    USE = "use"
    VIEW = "view"
    QUERY = "query"


class Block(NamedTuple):
    """One top-level element.

    kind: project, table, partial, enum, ref, group, note, records, use, view, query.
    `keyword` spans the leading keyword; `name`/`alias`/`settings` are the header; `items` the body
    elements (their node types depend on the kind); `body` the brace positions (None for one-liners).
    `extra` holds kind-specific data: for `use`, a tuple (reuse: bool, path string Value, star: bool);
    for a short `Ref`, nothing (the relation is the only item).
    """

    kind: BlockKind
    keyword_end: int
    name: Path | None
    alias: Name | None
    settings: Settings | None
    items: tuple
    body: Body | None
    extra: tuple
    start: int
    end: int
