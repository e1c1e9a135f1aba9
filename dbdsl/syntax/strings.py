"""String literals: escapes and the indentation rule of `'''` multi-line strings."""

from __future__ import annotations

import re

SURROGATE_PAIR = r"u[dD][89abAB][0-9A-Fa-f]{2}\\u[dD][c-fC-F][0-9A-Fa-f]{2}"
ESCAPE_RE = re.compile(r"\\(" + SURROGATE_PAIR + r"|u[0-9A-Fa-f]{0,4}|\r\n?|\n|.)", re.DOTALL)
LINE_BREAKS = ("\n", "\r", "\r\n")
SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def unescape(body: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Resolve backslash escapes; a backslash before a line break (LF, CRLF or CR) joins the lines
    (line continuation), so a file means the same whatever its line endings.

    Unknown escapes stand for the character itself (`\\a` is `a`); a malformed `\\u` escape, or one
    that names half of a surrogate pair alone (no character: it cannot be written as UTF-8), is a
    problem, returned as (start, end, message) relative to `body`. A pair (`\\ud83d\\ude00`) is the one
    character it encodes.
    """
    if "\\" not in body:
        return body, []
    problems: list[tuple[int, int, str]] = []

    def replace(m: re.Match[str]) -> str:
        seq = m.group(1)
        if seq[0] == "u" and len(seq) == 11:
            high, low = int(seq[1:5], 16), int(seq[7:], 16)
            return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        if seq[0] == "u":
            if len(seq) == 5 and 0xD800 <= int(seq[1:], 16) <= 0xDFFF:
                problems.append(
                    (m.start(), m.end(), f"'\\{seq}' is half of a surrogate pair, not a character: write the pair")
                )
                return "\ufffd"
            if len(seq) == 5:
                return chr(int(seq[1:], 16))
            problems.append(
                (
                    m.start(),
                    m.end(),
                    f"invalid unicode escape '\\{seq}': write \\uHHHH with four hexadecimal digits",
                )
            )
            return seq
        if seq in LINE_BREAKS:
            return ""
        return SIMPLE_ESCAPES.get(seq, seq)

    return ESCAPE_RE.sub(replace, body), problems


def normalize_multiline(text: str) -> str:
    """Apply DBML's indentation rule to the content of a `'''` string.

    Leading blank lines are dropped, and the smallest indentation of the non-blank lines is removed
    from every line (blank lines lose up to that much whitespace).
    """
    lines = text.replace("\r\n", "\n").split("\n")
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    lines = lines[first:]
    if not lines:
        return ""
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    out = []
    for line in lines:
        if line.strip():
            out.append(line[cut:])
        else:
            out.append(line[cut:] if len(line) > cut else "")
    return "\n".join(out)
