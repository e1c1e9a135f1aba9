"""The parse cache: a block's text is parsed once while it is kept, and what edits leave behind is
dropped once the texts kept pass the cache's length."""

from __future__ import annotations

from dbdsl.syntax.parser import ParseCache


def table(name: str) -> str:
    return f"Table {name} {{\n  id int [pk]\n}}"


def test_a_kept_text_is_not_parsed_again() -> None:
    cache = ParseCache(max_chars=10_000)
    first = cache.get(table("a"))
    assert cache.get(table("a")) is first
    assert first.block is not None and not first.problems


def test_the_least_recently_used_texts_go_first_once_the_length_is_passed() -> None:
    texts = [table(f"t{i}") for i in range(10)]
    cache = ParseCache(max_chars=len(texts[0]) * 4)
    kept = cache.get(texts[0])
    second = cache.get(texts[1])
    for text in texts[2:4]:
        cache.get(text)
    assert cache.get(texts[0]) is kept  # used again: now the most recent
    for text in texts[4:7]:
        cache.get(text)
    assert len(cache) == 4 and cache.chars <= cache.max_chars
    assert cache.get(texts[0]) is kept  # the most recent survived the three newer texts
    assert cache.get(texts[1]) is not second and len(cache) == 4  # texts[1] had gone: parsed again
