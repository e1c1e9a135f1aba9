"""A lean LALR driver over the parse table that Lark computes from grammar/dbdsl.lark.

Lark builds the LALR(1) table and the reduction callbacks (with our tree builder inlined); this loop
feeds tokens through them like Lark's own `ParserState.feed_token`, minus the per-token overhead that
dominates on large files (rule hashing, asserts). The lexer reads the current state to tell keywords
from names, exactly as Lark's contextual lexer does.
"""

from __future__ import annotations

import itertools
from typing import Any

from lark import Lark
from lark.parsers.lalr_analysis import Shift
from lark.utils import TextSlice

from .lexer import DbdslLexer, Tok


class ParseFailure(Exception):
    """The token at which parsing stopped and the terminal names the parser would have accepted."""

    def __init__(self, token: Tok, expected: set[str]) -> None:
        super().__init__(token.type)
        self.token = token
        self.expected = expected


class _ParseConf:
    __slots__ = ("states",)

    def __init__(self, states: dict) -> None:
        self.states = states


class _ParserView:
    """The two attributes of Lark's parser state that the lexer reads."""

    __slots__ = ("parse_conf", "state_stack")

    def __init__(self, conf: _ParseConf, stack: list) -> None:
        self.parse_conf = conf
        self.state_stack = stack


class _LexerInput:
    __slots__ = ("text",)

    def __init__(self, text: TextSlice) -> None:
        self.text = text


class LalrDriver:
    def __init__(self, lark: Lark) -> None:
        lalr = lark.parser.parser.parser  # frontend -> LALR_Parser -> _Parser
        table = lalr.parse_table
        callbacks = lalr.callbacks
        self.start_states = table.start_states
        self.end_states = table.end_states
        self.conf = _ParseConf(table.states)
        self.actions: dict[Any, dict[str, tuple]] = {}
        for state, actions in table.states.items():
            compiled: dict[str, tuple] = {}
            for terminal, (action, arg) in actions.items():
                if action is Shift:
                    compiled[terminal] = (True, arg)
                else:
                    compiled[terminal] = (False, len(arg.expansion), arg.origin.name, callbacks[arg])
            self.actions[state] = compiled
        self.lexer = DbdslLexer(None)

    def parse(self, text: str, start: int, end: int, rule: str) -> Any:
        actions = self.actions
        stack = [self.start_states[rule]]
        values: list = []
        end_state = self.end_states[rule]
        tokens = self.lexer.lex(_LexerInput(TextSlice(text, start, end)), _ParserView(self.conf, stack))

        end_tok = Tok("$END", "", end, end)
        for tok in itertools.chain(tokens, (end_tok,)):
            kind = tok.type
            while True:
                act = actions[stack[-1]].get(kind)
                if act is None:
                    raise ParseFailure(tok, _expected(actions[stack[-1]]))
                if act[0]:
                    stack.append(act[1])
                    values.append(tok)
                    break
                _, size, origin, callback = act
                if size:
                    children = values[-size:]
                    del stack[-size:]
                    del values[-size:]
                else:
                    children = []
                values.append(callback(children))
                stack.append(actions[stack[-1]][origin][1])
                if kind == "$END" and stack[-1] == end_state:
                    return values[-1]
        raise AssertionError("the parse table accepts only at the end")  # pragma: no cover


def _expected(actions: dict[str, tuple]) -> set[str]:
    return {t for t in actions if t.isupper()}
