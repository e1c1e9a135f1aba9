"""Print one top-level block in the canonical layout, from its syntax tree and its source text.

Names, strings, numbers and expressions are copied from the source as written (quoting, escapes and
multi-line strings stay exactly as they were); keywords get their canonical spelling; spacing,
indentation and line breaks are the printer's. Comments are not in the syntax tree: they are found in
the text between the nodes and put back in the same order, on their own line or after the item they
followed. An item that has a comment inside it is copied as written.

Layout: two spaces per level; one item per line; within a run of consecutive columns (or enum values)
the names, types and settings line up; at most one blank line between items, as the source had them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol, TypeVar

from ..syntax import ast
from ..syntax.scan import Token, comments, scan

INDENT = "  "
MAX_ALIGNED_NAME = 40  # longer names do not widen their run's name column
KEYWORDS = {
    "project": "Project",
    "table": "Table",
    "partial": "TablePartial",
    "enum": "Enum",
    "ref": "Ref",
    "group": "TableGroup",
    "note": "Note",
    "records": "Records",
    "view": "DiagramView",
    "query": "Query",
}
PLAIN_KEY = re.compile(r"[A-Za-z_][\w \t]*\Z")


class Row(NamedTuple):
    """An aligned line: its cells, and a comment that follows it."""

    cells: tuple[str, ...]
    comment: str | None = None


Line = str | Row


class _Node(Protocol):
    """A syntax tree node: where it starts and ends in the text."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


_N = TypeVar("_N", bound=_Node)
TableItem = ast.Column | ast.NoteElement | ast.PartialInjection | ast.SubBlock | ast.Records


class CannotPrint(Exception):
    """The block holds something the printer does not lay out; it is kept as written."""


class BlockPrinter:
    def __init__(self, text: str, block: ast.Block) -> None:
        self.t = text
        self.block = block
        self.comments = comments(text)

    # ------------------------------------------------------------ pieces of source

    def src(self, start: int, end: int) -> str:
        return self.t[start:end]

    def name(self, n: ast.Name) -> str:
        return self.t[n.start : n.end]

    def path(self, p: ast.Path) -> str:
        return ".".join(self.name(n) for n in p.names)

    def comments_in(self, start: int, end: int) -> list[Token]:
        return [c for c in self.comments if start <= c.start and c.end <= end]

    def value(self, v: ast.Value) -> str:
        if v.kind == "ref":
            return f"{v.op} {self.path(v.paths[0])}"
        if v.kind == "tuple":
            return "(" + ", ".join(self.path(p) for p in v.paths) + ")"
        if v.kind == "words":
            return " ".join(self.path(p) for p in v.paths)
        return self.src(v.start, v.end)

    def setting(self, s: ast.Setting) -> str:
        key = self.src(s.key_start, s.key_end)
        key = " ".join(key.split()).lower() if PLAIN_KEY.match(key) else key
        if s.value is None:
            colon = self.t.find(":", s.key_end, s.end) if s.end > s.key_end else -1
            return key + (":" if colon >= 0 else "")
        return f"{key}: {self.value(s.value)}"

    def settings(self, node: ast.Settings | None) -> str:
        if node is None:
            return ""
        if self.comments_in(node.start, node.end):
            return self.src(node.start, node.end)
        return "[" + ", ".join(self.setting(s) for s in node.items) + "]"

    def type_name(self, t: ast.TypeName) -> str:
        out = self.path(t.path)
        rest = [tok.text for tok in scan(self.t, t.path.end, t.end)]
        return out + "".join(tok if tok != "," else "," for tok in rest)

    def endpoint(self, e: ast.Endpoint) -> str:
        out = self.path(e.path)
        if e.tuple_columns is not None:
            out += ".(" + ", ".join(self.name(n) for n in e.tuple_columns) + ")"
        return out

    def relation(self, r: ast.Relation) -> str:
        out = f"{self.endpoint(r.left)} {r.op} {self.endpoint(r.right)}"
        return out + (" " + self.settings(r.settings) if r.settings is not None else "")

    # ------------------------------------------------------------ bodies

    def body(
        self, items: Sequence[_N], open_end: int, close_start: int, level: int, item: Callable[[_N, int], list[Line]]
    ) -> list[Line]:
        """The lines between `{` and `}`: items with their comments and blank lines."""
        out: list[Line] = []
        prev_end = open_end
        prev_is_item = False
        for it in items:
            self._gap(out, prev_end, it.start, level, prev_is_item, first=not out)
            if self.comments_in(it.start, it.end) and not isinstance(it, (ast.SubBlock, ast.Records)):
                out.append(self._verbatim(it.start, it.end, level))
            else:
                out.extend(item(it, level))
            prev_end = it.end
            prev_is_item = True
        self._gap(out, prev_end, close_start, level, prev_is_item, first=not out, last=True)
        return out

    def _gap(
        self, out: list[Line], start: int, end: int, level: int, after_item: bool, *, first: bool, last: bool = False
    ) -> None:
        """Comments and blank lines between two items (or the braces)."""
        pos = start
        for c in self.comments_in(start, end):
            between = self.t[pos : c.start]
            same_line = "\n" not in between
            if same_line and after_item:  # `item // comment`
                self._attach(out, c.text.rstrip())
            elif same_line and first:  # `{ // comment`
                out.append(_HeaderComment(c.text.rstrip()))
            else:
                if between.count("\n") >= 2 and _has_content(out):
                    out.append("")
                out.append(INDENT * level + c.text.rstrip())
            pos = c.end
            after_item = first = False
        if not last and self.t[pos:end].count("\n") >= 2 and _has_content(out):
            out.append("")

    def _attach(self, out: list[Line], comment: str) -> None:
        last = out[-1]
        if isinstance(last, Row):
            out[-1] = last._replace(comment=comment if last.comment is None else f"{last.comment} {comment}")
        else:
            out[-1] = f"{last} {comment}"

    def _verbatim(self, start: int, end: int, level: int) -> str:
        return INDENT * level + self.src(start, end)

    # ------------------------------------------------------------ the block

    def print(self) -> str:
        b = self.block
        header_end = b.body.open_end - 1 if b.body is not None else b.end
        if self.comments_in(b.start, header_end):
            raise CannotPrint("comment in the header")
        lines = PRINTERS[b.kind](self, b)
        trailing = self.comments_in(b.end, len(self.t))
        text = render(lines)
        if trailing:
            text += " " + " ".join(c.text.rstrip() for c in trailing)
        return text

    def _braced(self, header: str, b: ast.Block, item: Callable[[_N, int], list[Line]]) -> list[Line]:
        assert b.body is not None  # blocks of these kinds have a body
        return self._nested(header + " {", self.body(b.items, b.body.open_end, b.body.close_start, 1, item), "")

    def _header(self, b: ast.Block, *, alias: bool = False) -> str:
        out = KEYWORDS[b.kind]
        if b.name is not None:
            out += " " + self.path(b.name)
        if alias and b.alias is not None:
            out += " as " + self.name(b.alias)
        if b.settings is not None:
            out += " " + self.settings(b.settings)
        return out

    def _table(self, b: ast.Block) -> list[Line]:
        return self._braced(self._header(b, alias=True), b, self.table_item)

    def table_item(self, it: TableItem, level: int) -> list[Line]:
        pad = INDENT * level
        if isinstance(it, ast.Column):
            cells = [pad + self.name(it.name), self.type_name(it.type)]
            if it.settings is not None:
                cells.append(self.settings(it.settings))
            return [Row(tuple(cells))]
        if isinstance(it, ast.NoteElement):
            return self.note_element(it, level)
        if isinstance(it, ast.PartialInjection):
            return [pad + "~" + self.name(it.name)]
        if isinstance(it, ast.SubBlock):
            # the node type of the elements goes with the kind of the sub-block
            item: dict[str, Callable[[Any, int], list[Line]]] = {
                "indexes": self.index_item,
                "checks": self.check_item,
                "dependencies": self.dependency_item,
            }
            lines = self.body(it.elements, it.open_end, it.close_start, level + 1, item[it.kind])
            return self._nested(f"{pad}{it.kind} {{", lines, pad)
        if isinstance(it, ast.Records):
            head = pad + "Records"
            if it.columns is not None:
                head += " (" + ", ".join(self.name(n) for n in it.columns) + ")"
            return self.records_body(it, head, level)
        raise CannotPrint(f"table item {type(it).__name__}")

    def _nested(self, head: str, lines: list[Line], pad: str) -> list[Line]:
        first = lines[0] if lines else None
        if isinstance(first, _HeaderComment):
            lines.pop(0)
            head += " " + first.rstrip()
        while lines and lines[-1] == "":
            lines.pop()
        return [head, *lines, pad + "}"]

    def note_element(self, it: ast.NoteElement, level: int) -> list[Line]:
        pad = INDENT * level
        raw = self.src(it.start, it.end)
        after_keyword = raw[4:].lstrip()
        string = self._string_in(it.start, it.end)
        if after_keyword.startswith(":"):
            return [f"{pad}Note: {string}"]
        return [f"{pad}Note {{", f"{pad}{INDENT}{string}", f"{pad}}}"]

    def _string_in(self, start: int, end: int) -> str:
        """The text of a note: a string, or (older DBML) a quoted or bare name, after `Note:`/`Note {`."""
        tokens = [t for t in scan(self.t, start, end) if t.kind != "PUNCT"]
        if tokens and tokens[0].kind == "WORD" and tokens[0].text.lower() == "note" and len(tokens) > 1:
            tokens = tokens[1:]
        if not tokens:
            raise CannotPrint("note without a string")
        return tokens[0].text

    def index_item(self, e: ast.IndexElement, level: int) -> list[Line]:
        keys = [self.src(p.start, p.end) for p in e.parts]
        target = keys[0] if len(keys) == 1 else "(" + ", ".join(keys) + ")"
        settings = " " + self.settings(e.settings) if e.settings is not None else ""
        return [INDENT * level + target + settings]

    def check_item(self, e: ast.CheckElement, level: int) -> list[Line]:
        tok = next(t for t in scan(self.t, e.start, e.end) if t.kind == "EXPRESSION")
        settings = " " + self.settings(e.settings) if e.settings is not None else ""
        return [INDENT * level + tok.text + settings]

    def dependency_item(self, e: ast.DependencyElement, level: int) -> list[Line]:
        left = [self.name(n) for n in e.left]
        side = left[0] if len(left) == 1 and self.src(e.start, e.start + 1) != "(" else f"({', '.join(left)})"
        return [f"{INDENT * level}{side} -> {', '.join(self.name(n) for n in e.right)}"]

    def _enum(self, b: ast.Block) -> list[Line]:
        def value(it: ast.EnumValue, level: int) -> list[Line]:
            cells = [INDENT * level + self.name(it.name)]
            if it.settings is not None:
                cells.append(self.settings(it.settings))
            return [Row(tuple(cells))]

        return self._braced(self._header(b), b, value)

    def _ref(self, b: ast.Block) -> list[Line]:
        head = "Ref" + (" " + self.path(b.name) if b.name is not None else "")
        if b.body is None:
            return [f"{head}: {self.relation(b.items[0])}"]
        if b.settings is not None:
            head += " " + self.settings(b.settings)

        def item(r: ast.Relation, level: int) -> list[Line]:
            return [INDENT * level + self.relation(r)]

        return self._braced(head, b, item)

    def _group(self, b: ast.Block) -> list[Line]:
        def item(it: ast.NoteElement | ast.Path, level: int) -> list[Line]:
            if isinstance(it, ast.NoteElement):
                return self.note_element(it, level)
            return [INDENT * level + self.path(it)]

        return self._braced(self._header(b), b, item)

    def _note(self, b: ast.Block) -> list[Line]:
        def item(it: _Node, level: int) -> list[Line]:
            return [INDENT * level + self._string_in(it.start, it.end)]

        return self._braced(self._header(b), b, item)

    def _project(self, b: ast.Block) -> list[Line]:
        def item(it: ast.NoteElement | ast.ProjectSetting, level: int) -> list[Line]:
            if isinstance(it, ast.NoteElement):
                return self.note_element(it, level)
            return [f"{INDENT * level}{self.name(it.name)}: {self.value(it.value)}"]

        return self._braced(self._header(b), b, item)

    def _query(self, b: ast.Block) -> list[Line]:
        def item(it: ast.NoteElement | ast.Value, level: int) -> list[Line]:
            if isinstance(it, ast.NoteElement):
                return self.note_element(it, level)
            return [INDENT * level + self.src(it.start, it.end)]

        return self._braced(self._header(b), b, item)

    def records_body(self, r: ast.Records, head: str, level: int) -> list[Line]:
        pad = INDENT * level
        open_end = self.t.index("{", r.start) + 1
        close_start = r.end - 1
        rows = tuple(_RowNode(v, s, e) for v, (s, e) in zip(r.rows, r.row_spans))

        def row(node: _RowNode, lvl: int) -> list[Line]:
            return [(INDENT * lvl + ", ".join(self.src(v.start, v.end) for v in node.values)).rstrip()]

        return self._nested(head + " {", self.body(rows, open_end, close_start, level + 1, row), pad)

    def _view(self, b: ast.Block) -> list[Line]:
        def section(s: ast.ViewSection, level: int) -> list[Line]:
            pad = INDENT * level
            if s.name.text == "*" and not s.name.quoted:  # `{ * }`: the whole diagram
                return [pad + "*"]
            entries = ["*" if e is None else self.path(e) for e in s.entries]
            if not entries:
                return [f"{pad}{self.name(s.name)} {{", f"{pad}}}"]
            return [f"{pad}{self.name(s.name)} {{", *(pad + INDENT + e for e in entries), f"{pad}}}"]

        for s in b.items:
            if self.comments_in(s.start, s.end):
                raise CannotPrint("comment inside a diagram view section")
        return self._braced(self._header(b), b, section)

    def _use(self, b: ast.Block) -> list[Line]:
        reuse, path, star = b.extra
        keyword = "reuse" if reuse else "use"
        source = self.src(path.start, path.end)
        if star:
            return [f"{keyword} * from {source}"]

        def item(it: ast.ImportItem, level: int) -> list[Line]:
            out = f"{INDENT * level}{self.name(it.kind).lower()} {self.path(it.path)}"
            return [out + (f" as {self.name(it.alias)}" if it.alias is not None else "")]

        lines = self._braced(keyword, b, item)
        lines[-1] = f"}} from {source}"
        return lines

    def _records(self, b: ast.Block) -> list[Line]:
        r: ast.Records = b.items[0]
        assert r.table is not None  # the grammar names the table of a top-level Records block
        head = "Records " + self.path(r.table)
        if r.columns is not None:
            head += "(" + ", ".join(self.name(n) for n in r.columns) + ")"
        return self.records_body(r, head, 0)


# how each kind of block is printed
PRINTERS: dict[ast.BlockKind, Callable[[BlockPrinter, ast.Block], list[Line]]] = {
    ast.BlockKind.PROJECT: BlockPrinter._project,
    ast.BlockKind.TABLE: BlockPrinter._table,
    ast.BlockKind.PARTIAL: BlockPrinter._table,
    ast.BlockKind.ENUM: BlockPrinter._enum,
    ast.BlockKind.REF: BlockPrinter._ref,
    ast.BlockKind.GROUP: BlockPrinter._group,
    ast.BlockKind.NOTE: BlockPrinter._note,
    ast.BlockKind.RECORDS: BlockPrinter._records,
    ast.BlockKind.USE: BlockPrinter._use,
    ast.BlockKind.VIEW: BlockPrinter._view,
    ast.BlockKind.QUERY: BlockPrinter._query,
}


class _RowNode(NamedTuple):
    values: tuple[ast.Value, ...]
    start: int
    end: int


class _HeaderComment(str):
    """A comment on the line of an opening brace."""


def _has_content(out: list[Line]) -> bool:
    """Whether a blank line may follow: there are lines, and the last one is not blank."""
    return any(not isinstance(line, _HeaderComment) for line in out) and out[-1] != ""


def render(lines: list[Line]) -> str:
    """Lines to text, aligning the cells of consecutive rows (comment lines between rows do not
    break a run; blank lines and other items do)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not isinstance(line, Row):
            out.append(line)
            i += 1
            continue
        j = i
        last_row = i
        while j < len(lines) and (isinstance(lines[j], Row) or _is_comment_line(lines[j])):
            if isinstance(lines[j], Row):
                last_row = j
            j += 1
        run = lines[i : last_row + 1]
        widths = _widths([r for r in run if isinstance(r, Row)])
        out.extend(_row_text(r, widths) if isinstance(r, Row) else r for r in run)
        i = last_row + 1
    return "\n".join(out)


def _is_comment_line(line: Line) -> bool:
    return isinstance(line, str) and line.lstrip().startswith(("//", "/*"))


def _widths(rows: list[Row]) -> list[int]:
    ncols = max(len(r.cells) for r in rows)
    widths = [0] * ncols
    for r in rows:
        for k, cell in enumerate(r.cells[:-1]):
            first_line = cell.split("\n", 1)[0]
            if k == 0 and len(first_line.lstrip()) > MAX_ALIGNED_NAME:
                continue
            widths[k] = max(widths[k], len(first_line))
    return widths


def _row_text(r: Row, widths: list[int]) -> str:
    parts = []
    for k, cell in enumerate(r.cells):
        parts.append(cell if k == len(r.cells) - 1 else cell.ljust(widths[k]) + " ")
    text = "".join(parts).rstrip()
    if r.comment is not None:
        text = f"{text} {r.comment}"
    return text
