"""The syntax's regular expressions mean the same on every Python the README allows (3.11 and newer).

CPython before 3.11.5 (Debian 12 ships 3.11.2) matches a possessive quantifier on a group wrongly:
`(?:[^']++|\\.)*+` fails on plain strings, and `(?:[eE][+-]?\\d++)?+` took the `e` of `3.e` for an
exponent. The long-token patterns use unrolled loops instead; this test keeps any pattern of the syntax
package from bringing a possessive group back (a possessive single character or class is fine).
"""

from __future__ import annotations

import re

import pytest

from dbdsl.syntax import blocks, lexer, scan

MODULES = [blocks, lexer, scan]


def possessive_groups(pattern: str) -> list[str]:
    """The groups of `pattern` that carry a possessive quantifier."""
    found = []
    stack: list[int] = []  # where the open groups start
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
            stack.append(i)
        elif c == ")" and stack:
            start = stack.pop()
            quantifier = re.match(r"(?:[*+?]|\{\d*,?\d*\})\+", pattern[i + 1 :])
            if quantifier:
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


def test_the_check_finds_a_possessive_group() -> None:
    assert possessive_groups(r"'(?:[^'\\\n]++|\\.)*+'") == [r"(?:[^'\\\n]++|\\.)*+"]
    assert possessive_groups(r"(?:[eE][+-]?\d++)?+") == [r"(?:[eE][+-]?\d++)?+"]
    assert possessive_groups(r"'[^'\\\n]*(?:\\.[^'\\\n]*)*'//[^\n]*+") == []


@pytest.mark.parametrize(("name", "pattern"), patterns())
def test_no_possessive_group(name: str, pattern: str) -> None:
    assert possessive_groups(pattern) == [], f"{name}: use an unrolled loop (see lexer.py)"


@pytest.mark.parametrize("text", ["3.e", "1.5.3", "12ab", "1e", "-.e"])
def test_a_malformed_number_is_no_number(text: str) -> None:
    match = lexer.TOKEN_RE.match(text)
    assert match is None or match.lastgroup != "NUMBER", match


@pytest.mark.parametrize(("text", "number"), [("3.5 ", "3.5"), ("-2e+10,", "-2e+10"), (".5]", ".5"), ("7.)", "7.")])
def test_a_number_is_one_token(text: str, number: str) -> None:
    match = lexer.TOKEN_RE.match(text)
    assert match is not None and match.lastgroup == "NUMBER" and match.group() == number


def test_strings_and_comments_match_whole() -> None:
    text = "Table t {\n  note: '''a 'quoted' \\''' word'''\n  c int [note: 'it\\'s'] /* x * y */ // z\n}\n"
    kinds = [m.lastgroup for m in lexer.TOKEN_RE.finditer(text)]
    assert "MULTILINE_STRING" in kinds and "STRING" in kinds and "BLOCK_COMMENT" in kinds
    assert [m.group() for m in lexer.TOKEN_RE.finditer(text) if m.lastgroup == "MULTILINE_STRING"] == [
        "'''a 'quoted' \\''' word'''"
    ]
