"""Cut a SQL file into statements without parsing it, so that each statement is read on its own.

A small scanner that knows where text cannot end a statement: strings, quoted names, comments, `$tag$`
bodies (PostgreSQL), `BEGIN ... END` bodies of triggers and routines, the mysql client's `DELIMITER`,
`GO` batch lines and statements without a semicolon (SQL Server), and the data of a `COPY ... FROM
stdin` block (pg_dump), which is skipped up to its `\\.` line. Something left open at the end of the file
(a string, a comment, a `$$`) costs only the statement it begins in: that statement ends at the next `;`
that ends a line, and is reported.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# words that begin a statement at the start of a line in a SQL Server script written without semicolons
TSQL_STARTS = re.compile(
    r"(?:CREATE|ALTER|DROP|INSERT|EXEC|EXECUTE|GRANT|REVOKE|DENY|PRINT|USE|DECLARE)\b", re.IGNORECASE
)
ROUTINE = re.compile(
    r"\s*CREATE\s+(?:OR\s+(?:REPLACE|ALTER)\s+)?(?:TEMP(?:ORARY)?\s+)?(?:DEFINER\s*=\s*\S+\s+)?"
    r"(TRIGGER|PROCEDURE|PROC|FUNCTION|EVENT)\b",
    re.IGNORECASE,
)
COPY_FROM_STDIN = re.compile(r"\s*COPY\b.*\bFROM\s+STDIN\b", re.IGNORECASE | re.DOTALL)
DELIMITER = re.compile(r"DELIMITER[ \t]+(\S+)[ \t]*\r?(?:\n|\Z)", re.IGNORECASE)
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$")


@dataclass(frozen=True)
class Piece:
    """One statement's text and the line (1-based) of its first character; `problem` when it cannot be
    read whole (an unterminated string or comment), in which case `text` is what it spans."""

    text: str
    line: int
    problem: str | None = None
    data: str | None = None  # the rows after a `COPY ... FROM stdin`, up to (not with) the `\.` line


def split(text: str, target: str) -> list[Piece]:
    """The statements of `text`, a script in the sqlglot dialect `target`."""
    return _Scanner(text, target).run()


class _Scanner:
    def __init__(self, text: str, target: str) -> None:
        self.text = text
        self.target = target
        self.pieces: list[Piece] = []
        self.start: int | None = None  # offset of the current statement's first character
        self.depth = 0  # parentheses
        self.block = 0  # BEGIN/CASE ... END inside a routine
        self.routine = False
        self.delimiter = ";"
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def run(self) -> list[Piece]:
        text, n = self.text, len(self.text)
        i = 0
        while i < n:
            c = text[i]
            if c in " \t\r\n\f\v":
                if c == "\n" and self.target == "tsql":
                    i = self._tsql_line(i + 1)
                    continue
                i += 1
                continue
            if (c == "-" and text.startswith("--", i)) or (c == "#" and self.target == "mysql"):
                end = text.find("\n", i)
                i = n if end < 0 else end
                continue
            if c == "\\" and self.start is None and self._line_start(i):  # psql meta-command
                end = text.find("\n", i)
                i = n if end < 0 else end
                continue
            if self.start is None and self.target == "mysql" and (m := DELIMITER.match(text, i)):
                self.delimiter = m.group(1)  # the mysql client's DELIMITER command (dumps with triggers)
                i = m.end()
                continue
            if self.start is None:
                self.start = i
                self.routine = bool(ROUTINE.match(text, i))
            if self.delimiter != ";" and text.startswith(self.delimiter, i):
                self._end(i)
                i += len(self.delimiter)
                continue
            if c == "/" and text.startswith("/*", i):
                i = self._closed(i, self._comment_end(i), "comment")
            elif c == "'" or (c == '"' and self.target in ("mysql", "bigquery")):
                i = self._closed(i, self._quote_end(i, c, backslash=self._backslash(i)), "string")
            elif c in '"`':
                i = self._closed(i, self._quote_end(i, c, backslash=False), "quoted name")
            elif c == "[" and self.target in ("tsql", "sqlite"):
                i = self._closed(i, self._quote_end(i, "]", backslash=False), "quoted name")
            elif c == "$" and self.target == "postgres" and (m := DOLLAR_TAG.match(text, i)):
                end = text.find(m.group(), m.end())
                i = self._closed(i, -1 if end < 0 else end + len(m.group()), "$$ body")
            elif c == "(":
                self.depth += 1
                i += 1
            elif c == ")":
                self.depth = max(0, self.depth - 1)
                i += 1
            elif c == ";" and self.delimiter == ";" and not (self.routine and self.block > 0):
                self._end(i)
                i = self._after_statement(i + 1)
            elif c.isalpha() or c == "_":
                m = WORD.match(text, i)
                assert m is not None  # a letter or underscore always starts a word
                word = m.group().upper()
                if self.routine and word in ("BEGIN", "CASE"):
                    self.block += 1
                elif self.routine and word == "END" and self.block > 0:
                    self.block -= 1
                i = m.end()
            else:
                i += 1
        if self.start is not None:
            self._end(n)
        return self.pieces

    # ------------------------------------------------------------ pieces

    def _end(self, end: int, problem: str | None = None) -> None:
        if self.start is not None:
            body = self.text[self.start : end].strip()
            if body:
                self.pieces.append(Piece(body, self._line_of(self.start), problem))
        self.start = None
        self.depth = self.block = 0
        self.routine = False

    def _after_statement(self, i: int) -> int:
        """After a `COPY ... FROM stdin;` its rows follow, up to a line `\\.`: kept on the piece."""
        last = self.pieces[-1] if self.pieces else None
        if last is None or not COPY_FROM_STDIN.match(last.text):
            return i
        m = re.compile(r"^\\\.[ \t]*\r?$", re.MULTILINE).search(self.text, i)
        end = len(self.text) if m is None else m.start()
        start = self.text.find("\n", i)  # the rows begin on the line after the statement
        data = self.text[start + 1 : end] if 0 <= start < end else ""
        self.pieces[-1] = Piece(last.text, last.line, last.problem, data)
        return len(self.text) if m is None else m.end()

    def _closed(self, start: int, end: int, what: str) -> int:
        """Go on after a quoted part ending at `end`; -1 when it never ends: the statement stops at the
        next `;` that ends a line after it and is reported."""
        if end >= 0:
            return end
        m = re.compile(r";[ \t]*\r?$", re.MULTILINE).search(self.text, start)
        stop = len(self.text) if m is None else m.start()
        self._end(stop, f"unterminated {what} at line {self._line_of(start)}")
        return stop + 1

    def _tsql_line(self, i: int) -> int:
        """At the start of a SQL Server line: `GO` ends the batch; a statement word at depth 0 begins a
        new statement (SSDT files leave out the semicolons)."""
        m = re.compile(r"[ \t]*GO[ \t]*(?:\d+[ \t]*)?(?:--[^\n]*)?\r?(?:\n|\Z)", re.IGNORECASE).match(self.text, i)
        if m:
            self._end(i)
            return m.end()
        j = i
        while j < len(self.text) and self.text[j] in " \t":
            j += 1
        if (
            self.start is not None
            and self.depth == 0
            and not self.routine
            and TSQL_STARTS.match(self.text, j)
            and self.text[self.start : j].strip()
        ):
            self._end(i)
        return i

    # ------------------------------------------------------------ lexical parts

    def _comment_end(self, i: int) -> int:
        text, level, j = self.text, 0, i
        nested = self.target == "postgres"
        while j < len(text):
            if text.startswith("/*", j):
                level = level + 1 if nested or level == 0 else level
                j += 2
            elif text.startswith("*/", j):
                level -= 1
                j += 2
                if level == 0:
                    return j
            else:
                j += 1
        return -1

    def _quote_end(self, i: int, quote: str, *, backslash: bool) -> int:
        text, j, n = self.text, i + 1, len(self.text)
        close = quote if quote != "[" else "]"
        while j < n:
            c = text[j]
            if backslash and c == "\\":
                j += 2
                continue
            if c == close:
                if j + 1 < n and text[j + 1] == close:
                    j += 2
                    continue
                return j + 1
            j += 1
        return -1

    def _backslash(self, i: int) -> bool:
        """MySQL strings take backslash escapes; PostgreSQL only in E'...' strings."""
        if self.target == "mysql":
            return True
        return self.target == "postgres" and i > 0 and self.text[i - 1] in "eE" and not self._word_before(i - 1)

    def _word_before(self, i: int) -> bool:
        return i > 0 and (self.text[i - 1].isalnum() or self.text[i - 1] == "_")

    def _line_start(self, i: int) -> bool:
        j = i - 1
        while j >= 0 and self.text[j] in " \t":
            j -= 1
        return j < 0 or self.text[j] == "\n"

    def _line_of(self, offset: int) -> int:
        return bisect_right(self.newlines, offset - 1) + 1
