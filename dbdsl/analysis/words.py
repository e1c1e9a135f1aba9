"""Small word helpers for naming heuristics: singular and plural forms, name tokens."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "data": "data", "ids": "id"}
UNCOUNTABLE = {"status", "news", "series", "species", "data", "metadata", "info", "information", "media", "analysis"}
UNCOUNTABLE |= {"access", "address", "process", "business", "class", "alias", "bus", "campus", "census", "virus"}
CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
SPLIT_RE = re.compile(r"[^A-Za-z0-9]+")


@lru_cache(maxsize=65536)
def tokens(name: str) -> tuple[str, ...]:
    """`customerEmail`, `customer_email` and `Customer Email` all give ('customer', 'email'). Names
    repeat across tables and rules, so the words of each are worked out once (an immutable tuple)."""
    spaced = CAMEL_RE.sub("_", name)
    return tuple(t for t in SPLIT_RE.split(spaced.lower()) if t)


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    w = word.lower()
    if w in IRREGULAR:
        return IRREGULAR[w]
    if w in UNCOUNTABLE or len(w) <= 3:
        return w
    if w.endswith("es") and w[:-2] in UNCOUNTABLE:
        return w[:-2]  # statuses, aliases, buses
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("ses") and not w.endswith("uses"):
        return w[:-1]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def plural(word: str) -> str:
    w = word
    low = w.lower()
    if low in UNCOUNTABLE and not low.endswith("s"):
        return w
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return w[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return w + "es"
    return w + "s"


def collection(word: str, table_names: Iterable[str]) -> str:
    """`word` as a table name in the schema's own convention: plural unless most tables are singular."""
    plural_count = singular_count = 0
    for name in table_names:
        if "." in name or not tokens(name):
            continue
        if is_plural(name):
            plural_count += 1
        elif len(tokens(name)[-1]) > 3:
            singular_count += 1
    return word if singular_count > plural_count else plural(word)


def is_plural(name: str) -> bool:
    parts = tokens(name)
    if not parts:
        return False
    last = parts[-1]
    return last not in UNCOUNTABLE and singular(last) != last
