"""Lark callbacks that build the syntax tree (dbdsl.syntax.ast) while the LALR parser reduces.

Running as the parser's inline transformer avoids building Lark trees first. Problems that do not stop
parsing (a bad escape, settings followed by an array suffix) are collected in `problems`.
"""

from __future__ import annotations

from typing import Any

from lark import Transformer

from . import ast
from .lexer import Tok
from .strings import normalize_multiline, unescape

Problem = tuple[int, int, str]


class ItemList(tuple):
    """The items of a block body, as returned by the `*_item_list` rules."""


class TreeBuilder(Transformer):
    def __init__(self) -> None:
        super().__init__(visit_tokens=False)
        self.problems: list[Problem] = []

    # ------------------------------------------------------------ leaves

    def name(self, tok: Tok) -> ast.Name:
        value = tok.value
        if value[0] == '"':
            return ast.Name(self.name_text(tok), True, tok.start_pos, tok.end_pos)
        return ast.Name(value, False, tok.start_pos, tok.end_pos)

    def name_text(self, tok: Tok) -> str:
        """The text of a NAME token: unquoted and unescaped."""
        value = tok.value
        if value[0] != '"':
            return value
        body = value[1:-1]
        return body if "\\" not in body else self.string_body(tok)

    def string_body(self, tok: Tok) -> str:
        """Content of a quoted token, unescaped; multi-line strings also get the indentation rule."""
        value = tok.value
        if value.startswith("'''"):
            body, problems = unescape(value[3:-3])
            self._escape_problems(problems, tok.start_pos + 3)
            return normalize_multiline(body)
        body = value[1:-1]
        if "\\" not in body:
            return body
        body, problems = unescape(body)
        self._escape_problems(problems, tok.start_pos + 1)
        return body

    def _escape_problems(self, problems: list[Problem], base: int) -> None:
        for start, end, message in problems:
            self.problems.append((base + start, base + end, message))

    def value_of(self, tok: Any) -> ast.Value:
        if isinstance(tok, ast.Value):
            return tok
        kind = tok.type
        if kind == "STRING":
            string_kind = "multiline" if tok.value.startswith("'''") else "string"
            return ast.Value(string_kind, self.string_body(tok), (), None, tok.start_pos, tok.end_pos)
        if kind == "EXPRESSION":
            return ast.Value("expression", tok.value[1:-1], (), None, tok.start_pos, tok.end_pos)
        if kind == "NUMBER":
            return ast.Value("number", tok.value, (), None, tok.start_pos, tok.end_pos)
        if kind == "COLOR":
            return ast.Value("color", tok.value, (), None, tok.start_pos, tok.end_pos)
        # a bare name (inlined `path+` of one word is never a token; keep this for safety)
        n = self.name(tok)
        path = ast.Path((n,), n.start, n.end)
        return ast.Value("words", n.text, (path,), None, n.start, n.end)

    # ------------------------------------------------------------ shared pieces

    def path(self, children: list) -> ast.Path:
        if len(children) == 1:
            only = self.name(children[0])
            return ast.Path((only,), only.start, only.end)
        names = tuple(map(self.name, children))
        return ast.Path(names, names[0].start, names[-1].end)

    def words(self, children: list) -> ast.Value:
        first = children[0]
        if len(children) == 1 and len(first.names) == 1 and first.names[0].quoted:
            # a "double-quoted" value is a string (older DBML wrote strings that way)
            return ast.Value("string", first.names[0].text, (), None, first.start, first.end)
        text = " ".join(p.dotted for p in children)
        return ast.Value("words", text, tuple(children), None, children[0].start, children[-1].end)

    def ref_value(self, children: list) -> ast.Value:
        op, path = children
        return ast.Value("ref", path.dotted, (path,), op.value, op.start_pos, path.end)

    def tuple_value(self, children: list) -> ast.Value:
        names = [self.name(t) for t in children[1:-1]]
        paths = tuple(ast.Path((n,), n.start, n.end) for n in names)
        text = ", ".join(n.text for n in names)
        return ast.Value("tuple", text, paths, None, children[0].start_pos, children[-1].end_pos)

    def setting(self, children: list) -> ast.Setting:
        # NAME+, then `:` and a value (no value is a problem); a value is never a NAME token (a bare word
        # is a `words` value)
        value = colon = None
        words = children
        last = children[-1]
        if isinstance(last, Tok) and last.type == "COLON":
            colon, words = last, children[:-1]
        elif len(children) > 2:
            before = children[-2]
            if isinstance(before, Tok) and before.type == "COLON":
                colon, words, value = before, children[:-2], self.value_of(last)
        if len(words) == 1:
            key = self.name_text(words[0]).lower()
        else:
            key = " ".join([self.name_text(w).lower() for w in words])
        first, last_word = words[0], words[-1]
        end = value.end if value is not None else (colon.end_pos if colon is not None else last_word.end_pos)
        if colon is not None and value is None:
            self.problems.append((colon.start_pos, colon.end_pos, f"setting '{key}' needs a value after ':'"))
        return ast.Setting(key, first.start_pos, last_word.end_pos, value, first.start_pos, end)

    def settings(self, children: list) -> ast.Settings:
        items = tuple(c for c in children[1:-1] if c is not None)
        return ast.Settings(items, children[0].start_pos, children[-1].end_pos)

    def alias(self, children: list) -> ast.Name:
        return self.name(children[1])

    def column_list(self, children: list) -> tuple:
        names = tuple(self.name(t) for t in children[1:-1] if t is not None)
        return ("columns", names, children[0].start_pos, children[-1].end_pos)

    def column_tuple(self, children: list) -> tuple:
        return tuple(self.name(t) for t in children[1:-1])

    def endpoint(self, children: list) -> ast.Endpoint:
        cols = None
        if isinstance(children[-1], tuple):
            cols = children[-1]
            children = children[:-1]
        path = self.path(children)
        end = path.end if cols is None else cols[-1].end + 1
        return ast.Endpoint(path, cols, path.start, end)

    def relation(self, children: list) -> ast.Relation:
        left, op, right = children
        return ast.Relation(left, op.value, right, None, left.start, right.end)

    # ------------------------------------------------------------ item lists

    def _item_list(self, children: list) -> ItemList:
        return ItemList(children)

    project_item_list = table_item_list = enum_item_list = ref_item_list = _item_list
    group_item_list = note_item_list = records_item_list = import_item_list = _item_list
    view_item_list = query_item_list = index_item_list = check_item_list = _item_list
    dependency_item_list = view_entry_list = _item_list

    # ------------------------------------------------------------ table items

    def column(self, children: list) -> ast.Column:
        name = self.name(children[0])
        type_path: ast.Path = children[1]
        args = None
        dims: list[str] = []
        settings = None
        bare: list[Tok] = []
        type_end = type_path.end
        for child in children[2:]:
            if isinstance(child, Tok):
                bare.append(child)
            elif isinstance(child, ast.Settings):
                if settings is not None:
                    self.problems.append((child.start, child.end, "a column has only one setting list"))
                settings = child
            elif child[0] == "dim":
                if settings is not None or bare:
                    self.problems.append((child[2], child[3], "array dimensions go right after the type"))
                dims.append(child[1])
                type_end = child[3]
            else:  # ("args", values, start, end)
                args = child[1]
                type_end = child[3]
        if bare:
            settings = self._bare_settings(bare, settings)
        type_name = ast.TypeName(type_path, args, tuple(dims), type_path.start, type_end)
        end = max(settings.end, type_end) if settings is not None else type_end
        return ast.Column(name, type_name, settings, name.start, end)

    def _bare_settings(self, words: list[Tok], bracketed: ast.Settings | None) -> ast.Settings:
        """Flags written without brackets after the type, e.g. `id int PK unique`."""
        items: list[ast.Setting] = []
        i = 0
        while i < len(words):
            first = words[i]
            last = first
            key = first.value.lower()
            if i + 1 < len(words) and (key, words[i + 1].value.lower()) in (("not", "null"), ("primary", "key")):
                last = words[i + 1]
                key = f"{key} {last.value.lower()}"
                i += 1
            items.append(ast.Setting(key, first.start_pos, last.end_pos, None, first.start_pos, last.end_pos))
            i += 1
        if bracketed is not None:
            return bracketed._replace(items=tuple(items) + bracketed.items, start=min(items[0].start, bracketed.start))
        return ast.Settings(tuple(items), items[0].start, items[-1].end)

    def type_args(self, children: list) -> tuple:
        values = []
        for tok in children[1:-1]:
            if tok is None:
                continue
            if tok.type == "STRING" or tok.value[0] == '"':
                values.append(self.string_body(tok))
            else:
                values.append(tok.value)
        return ("args", tuple(values), children[0].start_pos, children[-1].end_pos)

    def array_dim(self, children: list) -> tuple:
        inner = children[1].value if len(children) == 3 else ""
        return ("dim", f"[{inner}]", children[0].start_pos, children[-1].end_pos)

    def note_short(self, children: list) -> ast.NoteElement:
        keyword, text = children[0], children[-1]
        return ast.NoteElement(self.string_body(text), keyword.start_pos, text.end_pos)

    def note_long(self, children: list) -> ast.NoteElement:
        keyword, text, close = children[0], children[2], children[3]
        return ast.NoteElement(self.string_body(text), keyword.start_pos, close.end_pos)

    def _sub_block(self, kind: str, children: list) -> ast.SubBlock:
        keyword, open_, items, close = children
        return ast.SubBlock(kind, tuple(items), open_.end_pos, close.start_pos, keyword.start_pos, close.end_pos)

    def indexes(self, children: list) -> ast.SubBlock:
        return self._sub_block("indexes", children)

    def checks(self, children: list) -> ast.SubBlock:
        return self._sub_block("checks", children)

    def dependencies(self, children: list) -> ast.SubBlock:
        return self._sub_block("dependencies", children)

    def index_part(self, tok: Tok) -> ast.IndexPart:
        if tok.type == "EXPRESSION":
            return ast.IndexPart("expression", tok.value[1:-1], tok.start_pos, tok.end_pos)
        n = self.name(tok)
        return ast.IndexPart("column", n.text, n.start, n.end)

    def index_tuple(self, children: list) -> tuple:
        return ("tuple", tuple(self.index_part(t) for t in children[1:-1]), children[0].start_pos, children[-1].end_pos)

    def index_item(self, children: list) -> ast.IndexElement:
        settings = children[-1] if isinstance(children[-1], ast.Settings) else None
        keys = children[:-1] if settings is not None else children
        if len(keys) == 1 and isinstance(keys[0], tuple) and keys[0][0] == "tuple":
            parts = keys[0][1]
            start, end = keys[0][2], keys[0][3]
        else:
            parts = tuple(self.index_part(t) for t in keys)
            start, end = parts[0].start, parts[-1].end
        if settings is not None:
            end = settings.end
        return ast.IndexElement(parts, settings, start, end)

    def check_item(self, children: list) -> ast.CheckElement:
        tok = children[0]
        settings = children[1] if len(children) > 1 else None
        end = settings.end if settings is not None else tok.end_pos
        return ast.CheckElement(tok.value[1:-1], settings, tok.start_pos, end)

    def dependency_side(self, children: list) -> tuple:
        if len(children) == 1:
            n = self.name(children[0])
            return ((n,), n.start, n.end)
        names = tuple(self.name(t) for t in children[1:-1])
        return (names, children[0].start_pos, children[-1].end_pos)

    def dependency_item(self, children: list) -> ast.DependencyElement:
        left, start, _ = children[0]
        right = tuple(self.name(t) for t in children[2:])
        return ast.DependencyElement(left, right, start, right[-1].end)

    def records_item(self, children: list) -> tuple:
        """A row; an empty field (nothing between two commas, or after the last) is an `empty` value."""
        values: list[ast.Value] = []
        empty = True  # the current field has no value yet
        for child in children:
            if child is None:
                continue
            if isinstance(child, Tok) and child.type == "COMMA":
                if empty:
                    values.append(ast.Value("empty", "", (), None, child.start_pos, child.start_pos))
                empty = True
                last_comma = child
                continue
            values.append(self.value_of(child))
            empty = False
        if empty:
            values.append(ast.Value("empty", "", (), None, last_comma.end_pos, last_comma.end_pos))
        return (tuple(values), values[0].start, values[-1].end)

    def inner_records(self, children: list) -> ast.Records:
        return self._records(None, children[0].start_pos, children[1:])

    def _records(self, table: ast.Path | None, start: int, rest: list) -> ast.Records:
        columns = None
        if isinstance(rest[0], tuple) and not isinstance(rest[0], ItemList) and rest[0][0] == "columns":
            columns = rest[0][1]
            rest = rest[1:]
        _open, rows, close = rest
        return ast.Records(
            table,
            columns,
            tuple(r[0] for r in rows),
            tuple((r[1], r[2]) for r in rows),
            start,
            close.end_pos,
        )

    def partial_injection(self, children: list) -> ast.PartialInjection:
        tilde, tok = children
        n = self.name(tok)
        return ast.PartialInjection(n, tilde.start_pos, n.end)

    # ------------------------------------------------------------ other items

    def enum_item(self, children: list) -> ast.EnumValue:
        n = self.name(children[0])
        settings = children[1] if len(children) > 1 else None
        return ast.EnumValue(n, settings, n.start, settings.end if settings else n.end)

    def ref_item(self, children: list) -> ast.Relation:
        rel = children[0]
        if len(children) > 1:
            return rel._replace(settings=children[1], end=children[1].end)
        return rel

    def project_setting(self, children: list) -> ast.ProjectSetting:
        n = self.name(children[0])
        value = self.value_of(children[1])
        return ast.ProjectSetting(n, value, n.start, value.end)

    def import_item(self, children: list) -> ast.ImportItem:
        kind = self.name(children[0])
        path = children[1]
        alias = self.name(children[3]) if len(children) > 3 else None
        return ast.ImportItem(kind, path, alias, kind.start, alias.end if alias else path.end)

    def view_item(self, children: list) -> ast.ViewSection:
        n = self.name(children[0])
        entries = tuple(None if isinstance(e, Tok) else e for e in children[2])
        return ast.ViewSection(n, entries, n.start, children[3].end_pos)

    def view_all(self, children: list) -> ast.ViewSection:
        """`{ * }` directly in a DiagramView: every element."""
        star = children[0]
        name = ast.Name("*", False, star.start_pos, star.end_pos)
        return ast.ViewSection(name, (None,), star.start_pos, star.end_pos)

    def view_entry(self, children: list) -> Any:
        return children[0]

    # ------------------------------------------------------------ blocks

    def _block(self, kind: ast.BlockKind, children: list, extra: tuple = ()) -> ast.Block:
        keyword = children[0]
        name = alias = settings = None
        items: tuple = ()
        open_tok = close_tok = None
        last_end = keyword.end_pos
        for child in children[1:]:
            if isinstance(child, ItemList):
                items = tuple(child)
            elif isinstance(child, ast.Settings):
                settings = child
                last_end = child.end
            elif isinstance(child, ast.Path):
                name = child
                last_end = child.end
            elif isinstance(child, ast.Name):
                alias = child
                last_end = child.end
            elif isinstance(child, Tok):
                if child.type == "LBRACE":
                    open_tok = child
                elif child.type == "RBRACE":
                    close_tok = child
                elif child.type == "NAME":
                    n = self.name(child)
                    name = ast.Path((n,), n.start, n.end)
                    last_end = n.end
        body = None
        end = last_end
        if open_tok is not None and close_tok is not None:
            body = ast.Body(open_tok.end_pos, close_tok.start_pos)
            end = close_tok.end_pos
        return ast.Block(kind, keyword.end_pos, name, alias, settings, items, body, extra, keyword.start_pos, end)

    def project_block(self, children: list) -> ast.Block:
        return self._block(ast.BlockKind.PROJECT, children)

    def table_block(self, children: list) -> ast.Block:
        return self._block(ast.BlockKind.TABLE, children)

    def partial_block(self, children: list) -> ast.Block:
        return self._block(ast.BlockKind.PARTIAL, children)

    def enum_block(self, children: list) -> ast.Block:
        return self._block(ast.BlockKind.ENUM, children)

    def ref_short(self, children: list) -> ast.Block:
        rel_index = next(i for i, c in enumerate(children) if isinstance(c, ast.Relation))
        rel = children[rel_index]
        if rel_index + 1 < len(children):
            rel = rel._replace(settings=children[rel_index + 1], end=children[rel_index + 1].end)
        block = self._block(ast.BlockKind.REF, children[:rel_index])
        return block._replace(items=(rel,), end=rel.end)

    def ref_long(self, children: list) -> ast.Block:
        return self._block(ast.BlockKind.REF, children)

    def group_block(self, children: list) -> ast.Block:
        return self._block(ast.BlockKind.GROUP, children)

    def sticky_note_block(self, children: list) -> ast.Block:
        block = self._block(ast.BlockKind.NOTE, children)
        texts = tuple(ast.NoteElement(self.string_body(t), t.start_pos, t.end_pos) for t in block.items)
        return block._replace(items=texts)

    def records_block(self, children: list) -> ast.Block:
        keyword, table = children[0], children[1]
        records = self._records(table, keyword.start_pos, children[2:])
        block = self._block(ast.BlockKind.RECORDS, [keyword, table, *[c for c in children[2:] if isinstance(c, Tok)]])
        return block._replace(items=(records,))

    def use_block(self, children: list) -> ast.Block:
        keyword = children[0]
        source = children[-1]
        star = isinstance(children[1], Tok) and children[1].type == "STAR"
        path_value = self.value_of(source)
        block = self._block(ast.BlockKind.USE, [c for c in children if not (isinstance(c, Tok) and c.type == "STRING")])
        extra = (keyword.type == "REUSE", path_value, star)
        return block._replace(extra=extra, end=source.end_pos)

    def view_block(self, children: list) -> ast.Block:
        return self._block(ast.BlockKind.VIEW, children)

    def query_block(self, children: list) -> ast.Block:
        block = self._block(ast.BlockKind.QUERY, children)
        items = tuple(self.value_of(i) if isinstance(i, Tok) else i for i in block.items)
        return block._replace(items=items)

    # note_text, query_item etc. are inlined tokens; the block callbacks convert them.
