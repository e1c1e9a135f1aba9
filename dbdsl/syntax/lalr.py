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


class _ParserView:
    """What the lexer reads of the parser: the stack of states, each the actions of its symbols (so
    `kind in state_stack[-1]` says whether the current state accepts a terminal)."""

    __slots__ = ("state_stack",)

    def __init__(self, stack: list[Actions]) -> None:
        self.state_stack = stack


class _LexerInput:
    __slots__ = ("text",)

    def __init__(self, text: TextSlice) -> None:
        self.text = text


# a state's actions by symbol: shift (True, the next state's actions) or reduce (False, the number of
# children, the rule's name, its tree-building callback); nonterminals map to the state after a reduce
Actions = dict[str, tuple[Any, ...]]


class LalrDriver:
    def __init__(self, lark: Lark) -> None:
        lalr = lark.parser.parser.parser  # frontend -> LALR_Parser -> _Parser
        table = lalr.parse_table
        callbacks = lalr.callbacks
        # each state becomes its actions, and a shift points at the next state's actions: the loop below
        # follows references instead of looking every state up by its number
        compiled: dict[Any, Actions] = {state: {} for state in table.states}
        for state, actions in table.states.items():
            out = compiled[state]
            for symbol, (action, arg) in actions.items():
                if action is Shift:
                    out[symbol] = (True, compiled[arg])
                else:
                    out[symbol] = (False, len(arg.expansion), arg.origin.name, callbacks[arg])
        self.start_states = {rule: compiled[state] for rule, state in table.start_states.items()}
        self.end_states = {rule: compiled[state] for rule, state in table.end_states.items()}
        self.lexer = DbdslLexer(None)

    def parse(self, text: str, start: int, end: int, rule: str) -> Any:
        stack: list[Actions] = [self.start_states[rule]]
        values: list = []
        end_state = self.end_states[rule]
        tokens = self.lexer.lex(_LexerInput(TextSlice(text, start, end)), _ParserView(stack))

        end_tok = Tok("$END", "", end, end)
        for tok in itertools.chain(tokens, (end_tok,)):
            kind = tok.type
            while True:
                act = stack[-1].get(kind)
                if act is None:
                    raise ParseFailure(tok, _expected(stack[-1]))
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
                stack.append(stack[-1][origin][1])
                if kind == "$END" and stack[-1] is end_state:
                    return values[-1]
        raise AssertionError("the parse table accepts only at the end")  # pragma: no cover


def _expected(actions: Actions) -> set[str]:
    return {t for t in actions if t.isupper()}
