"""The syntax's regular expressions mean the same on every Python the README allows (3.11 and newer).

CPython before 3.11.5 (Debian 12 ships 3.11.2) matches a possessive quantifier over a group with an
alternation wrongly (`(?:[^']++|\\.)*+` fails on plain strings). The long-token patterns use unrolled
loops instead; this test keeps any pattern of the syntax package from bringing such a loop back.
"""

from __future__ import annotations

import re

import pytest

from dbdsl.syntax import blocks, lexer, scan

MODULES = [blocks, lexer, scan]


def possessive_alternations(pattern: str) -> list[str]:
    """The groups of `pattern` that hold a top-level `|` and carry a possessive quantifier."""
    found = []
    stack: list[tuple[int, bool]] = []  # (start of the group, whether it holds a top-level |)
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a character class: skip to its end
            j = i + 1
            if j < len(pattern) and pattern[j] == "^":
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                j += 1
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            stack.append((i, False))
        elif c == "|" and stack:
            stack[-1] = (stack[-1][0], True)
        elif c == ")" and stack:
            start, alternation = stack.pop()
            quantifier = re.match(r"(?:[*+?]|\{\d*,?\d*\})\+", pattern[i + 1 :])
            if alternation and quantifier:
                found.append(pattern[start : i + 1 + quantifier.end()])
        i += 1
    return found


def patterns() -> list[tuple[str, str]]:
    out = []
    for module in MODULES:
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                out.append((f"{module.__name__}.{name}", value.pattern))
    return out


def test_the_check_finds_a_possessive_alternation() -> None:
    assert possessive_alternations(r"'(?:[^'\\\n]++|\\.)*+'") == [r"(?:[^'\\\n]++|\\.)*+"]
    assert possessive_alternations(r"'[^'\\\n]*(?:\\.[^'\\\n]*)*'") == []


@pytest.mark.parametrize(("name", "pattern"), patterns())
def test_no_possessive_loop_over_an_alternation(name: str, pattern: str) -> None:
    assert possessive_alternations(pattern) == [], f"{name}: use an unrolled loop (see lexer.py)"


def test_strings_and_comments_match_whole() -> None:
    text = "Table t {\n  note: '''a 'quoted' \\''' word'''\n  c int [note: 'it\\'s'] /* x * y */ // z\n}\n"
    kinds = [m.lastgroup for m in lexer.TOKEN_RE.finditer(text)]
    assert "MULTILINE_STRING" in kinds and "STRING" in kinds and "BLOCK_COMMENT" in kinds
    assert [m.group() for m in lexer.TOKEN_RE.finditer(text) if m.lastgroup == "MULTILINE_STRING"] == [
        "'''a 'quoted' \\''' word'''"
    ]
