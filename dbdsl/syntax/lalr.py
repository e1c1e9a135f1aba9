"""A lean LALR driver over the parse table that Lark computes from grammar/dbdsl.lark.

Lark builds the LALR(1) table; this loop feeds tokens through it like Lark's own
`ParserState.feed_token`, minus the per-token overhead that dominates on large files (rule hashing,
asserts). The lexer reads the current state to tell keywords from names, exactly as Lark's contextual
lexer does.

Each rule's reduction shapes its children the way Lark's tree builder does (`_reduction`), and calls the
tree builder's method of that name directly: a `?rule` with one child passes it on without a call, and
the helper rules Lark makes for `x*`, `x+` and `_rule` hand their children over as a plain list, where
Lark would build a tree only for the parent to take it apart again. Most reductions in a large file are
of these two kinds.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from lark import Lark, Tree
from lark.grammar import Rule, Terminal
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
# children, the rule's name, its reduction or None when the one child is the result); nonterminals map
# to the state after a reduce
Actions = dict[str, tuple[Any, ...]]
Reduction = Callable[[list], Any]


class LalrDriver:
    def __init__(self, lark: Lark, builder: object) -> None:
        lalr = lark.parser.parser.parser  # frontend -> LALR_Parser -> _Parser
        table = lalr.parse_table
        reductions: dict[Rule, Reduction | None] = {}
        # each state becomes its actions, and a shift points at the next state's actions: the loop below
        # follows references instead of looking every state up by its number
        compiled: dict[Any, Actions] = {state: {} for state in table.states}
        for state, actions in table.states.items():
            out = compiled[state]
            for symbol, (action, arg) in actions.items():
                if action is Shift:
                    out[symbol] = (True, compiled[arg])
                else:
                    if arg not in reductions:
                        reductions[arg] = _reduction(arg, builder)
                    out[symbol] = (False, len(arg.expansion), arg.origin.name, reductions[arg])
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
                _, size, origin, reduction = act
                if reduction is None:  # the one child is the result
                    del stack[-1]
                else:
                    if size:
                        children = values[-size:]
                        del stack[-size:]
                        del values[-size:]
                    else:
                        children = []
                    values.append(reduction(children))
                stack.append(stack[-1][origin][1])
                if kind == "$END" and stack[-1] is end_state:
                    return values[-1]
        raise AssertionError("the parse table accepts only at the end")  # pragma: no cover


def _reduction(rule: Rule, builder: object) -> Reduction | None:
    """How a reduction of `rule` makes its value from its children, as Lark's tree builder would with
    `builder` inlined (no `!` rules, placeholders on): anonymous and `_`-named tokens are dropped, the
    children of `_`-named rules are spliced in, a missing `[optional]` is None, and a `?rule` left with
    one child is that child. None: the rule's one child is its value as it is."""
    options = rule.options
    expansion = rule.expansion
    # how many Nones stand before each symbol of the expansion, and after the last
    empties = options.empty_indices
    if empties:
        nones = [len(run) for run in "".join("1" if e else "0" for e in empties).split("0")]
    else:
        nones = [0] * (len(expansion) + 1)
    plan: list[tuple[int, bool, int]] = []  # (child index, splice its children, Nones before it)
    pending = 0
    for i, symbol in enumerate(expansion):
        pending += nones[i]
        if not (isinstance(symbol, Terminal) and symbol.filter_out):
            plan.append((i, not symbol.is_term and symbol.name.startswith("_"), pending))
            pending = 0
    trailing = pending + nones[len(expansion)]
    name = rule.alias or rule.origin.name
    expand_single = options.expand1 and not rule.alias
    whole = len(plan) == len(expansion) and not trailing and not any(splice or n for _, splice, n in plan)
    if expand_single and whole and len(expansion) == 1:
        return None
    method: Reduction | None = getattr(builder, name, None)
    if name.startswith("_"):
        # a helper rule: the list of its children (a fresh list, or one taken over from a left-recursive
        # child), spliced into its parent's
        build: Reduction = _as_is
    elif method is not None:
        build = method
    else:
        build = lambda children: Tree(name, children)  # noqa: E731
    if expand_single:
        inner = build
        build = lambda children: children[0] if len(children) == 1 else inner(children)  # noqa: E731
    if whole:
        return build

    def shaped(children: list) -> Any:
        kept: list = []
        for i, splice, none_count in plan:
            if none_count:
                kept += [None] * none_count
            if splice:
                if kept:
                    kept += children[i]
                else:  # a left-recursive list (`x*`) goes on growing: taken over, not copied
                    kept = children[i]
            else:
                kept.append(children[i])
        if trailing:
            kept += [None] * trailing
        return build(kept)

    return shaped


def _as_is(children: list) -> list:
    return children


def _expected(actions: Actions) -> set[str]:
    return {t for t in actions if t.isupper()}
