"""Python names for tables and columns: valid identifiers, no keywords, no names the ORM reserves,
unique within their scope. The database names stay as they are (the models name them explicitly)."""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Set


def literal(text: str) -> str:
    """A Python string literal quoted as ruff's formatter quotes it: double quotes, unless the text
    holds double quotes and no single ones."""
    if '"' in text and "'" not in text:
        return repr(text)
    return json.dumps(text, ensure_ascii=False)


def docstring(text: str, indent: int = 4) -> str:
    """A triple-quoted docstring holding `text`, its lines within 120 columns."""
    body = " ".join(text.split()).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    if indent + len(body) + 6 <= LINE:
        return f'"""{body}"""'
    pad = " " * indent
    return '"""' + "\n".join(pad + line for line in chunks(body, LINE - indent)) + "\n" + pad + '"""'


def chunks(text: str, width: int) -> list[str]:
    """`text` cut at spaces into pieces of at most `width` characters (longer words stay whole)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


class Str:
    """A string argument, `key=` prefixed when given; cut into implicitly joined pieces when too long."""

    def __init__(self, value: str, key: str | None = None) -> None:
        self.value, self.key = value, key

    def one_line(self) -> str:
        return (f"{self.key}=" if self.key else "") + literal(self.value)

    def render(self, indent: int, tail: str = "") -> str:
        one = self.one_line() + tail
        if indent + len(one) <= LINE:
            return one
        pieces = chunks(self.value, LINE - indent - 10)
        parts = [literal(p + (" " if i < len(pieces) - 1 else "")) for i, p in enumerate(pieces)]
        pad = " " * (indent + 4)
        head = f"{self.key}=(" if self.key else "("
        return head + "\n" + "\n".join(pad + p for p in parts) + "\n" + " " * indent + ")" + tail


LINE = 120


class Call:
    """A call written as ruff's formatter writes it: on one line when it fits in 120 columns, else one
    argument per line with a trailing comma (an argument may be a Call, laid out the same way)."""

    def __init__(self, head: str, args: list, suffix: str = "") -> None:
        self.head, self.args, self.suffix = head, args, suffix

    def one_line(self) -> str:
        inner = ", ".join(a if isinstance(a, str) else a.one_line() for a in self.args)
        return f"{self.head}({inner}){self.suffix}"

    def render(self, indent: int, tail: str = "", *, split: bool = False) -> str:
        one = self.one_line() + tail
        if (indent + len(one) <= LINE and not split) or not self.args:
            return one
        pad = indent + 4
        lines = [" " * pad + (a + "," if isinstance(a, str) else a.render(pad, ",")) for a in self.args]
        return f"{self.head}(\n" + "\n".join(lines) + "\n" + " " * indent + f"){self.suffix}{tail}"


def call(head: str, args: list, indent: int, *, suffix: str = "") -> str:
    """`head(args)suffix` laid out at `indent` (see Call)."""
    return Call(head, args).render(indent, suffix)


def import_line(module: str, names: set[str]) -> str:
    """`from module import a, B, C` sorted as isort (ruff) sorts: constants, classes, then the rest."""
    ordered = sorted(names, key=lambda n: (0 if n.isupper() else 1 if n[:1].isupper() else 2, n))
    one = f"from {module} import {', '.join(ordered)}"
    return one if len(one) <= LINE else call(f"from {module} import ", ordered, 0)


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^0-9A-Za-z]+|(?<=[a-z0-9])(?=[A-Z])", name) if w]


def singular(word: str) -> str:
    """`categories` -> `category`, `addresses` -> `address`, `users` -> `user` (English plurals that
    table names use; anything else is kept)."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(word) > 2:
        return word[:-1]
    return word


class Namer:
    """Hands out identifiers unique within one scope (a module's classes, a class's attributes)."""

    def __init__(self, reserved: Set[str] = frozenset(), *, trailing_underscore: bool = True) -> None:
        self.taken = {r.lower() for r in reserved}
        self.trailing_underscore = trailing_underscore

    def claim(self, candidate: str) -> str:
        name, n = candidate, 1
        while name.lower() in self.taken:
            n += 1
            name = f"{candidate}{n}" if self.trailing_underscore or not candidate.endswith("_") else f"{candidate}x{n}"
        self.taken.add(name.lower())
        return name

    def class_name(self, table: str) -> str:
        words = _words(table) or ["Table"]
        words[-1] = singular(words[-1])
        name = "".join(w[:1].upper() + w[1:] for w in words)
        if name[0].isdigit() or not name.isidentifier():
            name = "T" + re.sub(r"\W", "", name)
        if keyword.iskeyword(name):
            name += "Model"
        return self.claim(name)

    def attribute(self, column: str) -> str:
        name = re.sub(r"\W+", "_", column).strip("_") if not column.isidentifier() else column
        name = re.sub(r"_{2,}", "_", name) or "column"
        if name[0].isdigit():
            name = "c_" + name
        if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name.lower() in self.taken:
            name = name + ("_" if self.trailing_underscore else "_value")
        if not self.trailing_underscore and name.endswith("_"):
            name = name.rstrip("_") + "_value"
        return self.claim(name)
