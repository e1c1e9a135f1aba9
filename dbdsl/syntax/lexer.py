"""The lexer that feeds Lark's LALR parser.

One compiled regular expression matches every token kind; the parser's current state decides, like
Lark's contextual lexer, whether a word is a keyword or a plain name (DBML reserves keywords only where
they can start an element) and whether `-` is a sign or the one-to-one operator. Newlines are tokens
that end elements, except inside `(...)` and `[...]`, where they are layout; runs of newlines collapse
into one token. Doing this in one pass is what makes parsing fast enough for very large files.

Strings and comments are matched with unrolled loops: a run of ordinary characters, then any number of
(special character, run) pairs, as in `[^*]*(?:[*](?!/)[^*]*)*`. The regular expression engine keeps no
backtracking state per ordinary character, so a token of any length takes time and memory in proportion
to its length. (A possessive loop would say the same, but CPython before 3.11.5, Debian 12's 3.11.2
among them, matches a possessive quantifier on a group wrongly: `(?:[eE][+-]?\\d++)?+` took the `e` of
`3.e` for an exponent. Possessive quantifiers appear only on single characters and classes.)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from typing import Any, Protocol

from lark.lexer import Lexer
from lark.utils import TextSlice

_LAYOUT = r"[ \t\f\r\ufeff\u00a0]+"
_LINE_COMMENT = r"//[^\n]*"
_BLOCK_COMMENT = r"/\*[^*]*(?:\*(?!/)[^*]*)*\*/"
# names first, the most common tokens (no other token starts like a name); the others in the order that
# decides where two start alike: `'''` before `'`, a number before `->`, `-` and `.`
_TOKENS = r"""
     (?P<QUOTED_NAME>"[^"\\\n]*(?:\\.[^"\\\n]*)*")
    |(?P<WORD>[^\W\d]\w*)
    |(?P<MULTILINE_STRING>'''[^\\']*(?:(?:\\[\s\S]|'(?!''))[^\\']*)*''')
    |(?P<STRING>'[^'\\\n]*(?:\\.[^'\\\n]*)*')
    |(?P<EXPRESSION>`[^`]*`)
    |(?P<NUMBER>[+-]*(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![\w.]))
    |(?P<COLOR>\#[0-9A-Fa-f]+\b)
    |(?P<ARROW>->)
    |(?P<REL_OP><>|<|>|-)
    |(?P<PUNCT>[\[\](){},:.~*])
"""
# every piece of the text as a token, layout and comments included (what highlighting and scans read)
TOKEN_RE = re.compile(
    rf"(?P<WS>{_LAYOUT})|(?P<NL>\n)|(?P<LINE_COMMENT>{_LINE_COMMENT})|(?P<BLOCK_COMMENT>{_BLOCK_COMMENT})|{_TOKENS}",
    re.VERBOSE,
)
# the parser's tokens: the layout and comments before a token are passed over in the same match (a line
# comment possessively: given back, its last word would be read as a token)
_SKIPPED = rf"(?:{_LAYOUT}|//[^\n]*+|{_BLOCK_COMMENT})*"
LEX_RE = re.compile(rf"{_SKIPPED}(?:(?P<NL>\n)|{_TOKENS})", re.VERBOSE)
SKIPPED_RE = re.compile(_SKIPPED)
# what highlighting colours: the tokens and comments, with the spaces, newlines and punctuation before
# each passed over in the same match (all punctuation but `.`, which can start a number, and `~`, which is
# coloured)
PASSED_OVER_IN_HIGHLIGHTING = " \t\f\r\ufeff\u00a0\n[](){},:*"
HIGHLIGHTED_RE = re.compile(
    rf"[{re.escape(PASSED_OVER_IN_HIGHLIGHTING)}]*(?:(?P<LINE_COMMENT>{_LINE_COMMENT})|(?P<BLOCK_COMMENT>{_BLOCK_COMMENT})|{_TOKENS})",
    re.VERBOSE,
)

PUNCTUATION = {
    "[": "LSQB",
    "]": "RSQB",
    "(": "LPAR",
    ")": "RPAR",
    "{": "LBRACE",
    "}": "RBRACE",
    ",": "COMMA",
    ":": "COLON",
    ".": "DOT",
    "~": "TILDE",
    "*": "STAR",
}
KEYWORDS = (
    "project table tablepartial tablegroup enum ref note indexes checks records dependencies "
    "use reuse from as diagramview query"
).split()
KEYWORD_TYPES = {word: word.upper() for word in KEYWORDS}


class Tok:
    """A token: the parser only needs `type`; the tree builder uses value and offsets."""

    __slots__ = ("type", "value", "start_pos", "end_pos")
    line = column = end_line = end_column = None

    def __init__(self, type: str, value: str, start_pos: int, end_pos: int) -> None:
        self.type = type
        self.value = value
        self.start_pos = start_pos
        self.end_pos = end_pos

    def __repr__(self) -> str:
        return f"Tok({self.type}, {self.value!r}, {self.start_pos})"


class LexError(Exception):
    """Text that no token matches; start/end are offsets in the parsed text."""

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end


def describe_bad_character(text: str, pos: int) -> tuple[str, int]:
    """A plain-words message for text at `pos` that starts no token, and where the problem ends."""
    line_end = text.find("\n", pos)
    if line_end < 0:
        line_end = len(text)
    ch = text[pos]
    if text.startswith("'''", pos):
        return "this multi-line string is never closed with '''", len(text)
    if ch == "'":
        return "this string is not closed before the end of the line", line_end
    if ch == '"':
        return "this quoted name is not closed before the end of the line", line_end
    if ch == "`":
        return "this backtick expression is never closed", len(text)
    if text.startswith("/*", pos):
        return "this comment is never closed with */", len(text)
    if ch.isdigit():
        m = re.compile(r"[\w.]+").match(text, pos)
        end = m.end() if m else pos + 1
        return f"'{text[pos:end]}' is not a valid number or name (names cannot start with a digit)", end
    return f"unexpected character {ch!r}", pos + 1


class LexerInput(Protocol):
    """What the lexer reads of Lark's lexer state: the slice of text to scan."""

    @property
    def text(self) -> TextSlice: ...


class ParserStateView(Protocol):
    """What the lexer reads of the parser: its stack of states, each the collection of the symbols it
    accepts (the LALR driver's actions by symbol)."""

    @property
    def state_stack(self) -> Sequence[Collection[str]]: ...


class DbdslLexer(Lexer):
    """Lark custom lexer (future interface 2): lex(lexer_state, parser_state)."""

    __future_interface__ = 2

    def __init__(self, lexer_conf: Any) -> None:
        self.ignore_comments = True

    # yields the lighter Tok, which LalrDriver reads in place of lark's Token (a str subclass)
    def lex(self, lexer_state: LexerInput, parser_state: ParserStateView) -> Iterator[Tok]:  # type: ignore[override]
        source = lexer_state.text
        text: str = source.text
        pos: int = source.start
        end: int = source.end
        state_stack = parser_state.state_stack
        match = LEX_RE.match
        brackets = parens = 0  # newlines inside [...] are layout; parentheses never span lines
        last_was_newline = True  # a newline right at the start is layout
        while pos < end:
            m = match(text, pos, end)
            if m is None:
                skipped = SKIPPED_RE.match(text, pos, end)
                assert skipped is not None  # the pattern matches the empty string
                pos = skipped.end()
                if pos >= end:
                    return  # only layout is left
                message, bad_end = describe_bad_character(text, pos)
                raise LexError(message, pos, min(bad_end, end))
            kind = m.lastgroup
            assert kind is not None  # every token of LEX_RE is a named group
            new_pos = m.end()
            if kind == "NL":
                pos = new_pos
                parens = 0
                if brackets or last_was_newline:
                    continue
                last_was_newline = True
                yield Tok("_NL", "\n", new_pos - 1, new_pos)
                continue
            value = m.group(kind)
            start = new_pos - len(value)
            accepted = state_stack[-1]
            if kind == "WORD":
                kind = KEYWORD_TYPES.get(value.lower(), "NAME")
                if kind != "NAME" and kind not in accepted:
                    kind = "NAME"
            elif kind == "PUNCT":
                kind = PUNCTUATION[value]
                if kind == "LSQB":
                    brackets += 1
                elif kind == "RSQB" and brackets:
                    brackets -= 1
                elif kind == "LPAR":
                    parens += 1
                elif kind == "RPAR" and parens:
                    parens -= 1
            elif kind == "QUOTED_NAME":
                kind = "NAME"
            elif kind == "MULTILINE_STRING":
                kind = "STRING"
            elif kind == "NUMBER" and "NUMBER" not in accepted and value[0] == "-" and "REL_OP" in accepted:
                new_pos = start + 1
                kind, value = "REL_OP", "-"
            last_was_newline = False
            yield Tok(kind, value, start, new_pos)
            pos = new_pos
