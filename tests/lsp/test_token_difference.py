"""The semantic tokens delta: one edit, on token boundaries, that turns the old array into the new."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from dbdsl.lsp.tokens import difference

from .test_sync import apply_token_edits

tokens = st.lists(st.tuples(*[st.integers(0, 3)] * 5), max_size=12).map(lambda ts: [n for t in ts for n in t])


@given(old=tokens, new=tokens)
def test_one_edit_turns_old_into_new(old: list[int], new: list[int]) -> None:
    edits = difference(old, new)
    assert apply_token_edits(old, edits) == new
    assert len(edits) <= 1
    assert all(e.start % 5 == 0 and e.delete_count % 5 == 0 and len(e.data) % 5 == 0 for e in edits)
    assert (edits == []) == (old == new)


def test_an_edit_in_the_middle_keeps_both_ends() -> None:
    old = [0, 0, 5, 0, 0, 1, 2, 4, 6, 0, 1, 0, 3, 1, 0]
    new = [0, 0, 5, 0, 0, 1, 2, 5, 6, 0, 1, 0, 3, 1, 0]
    (edit,) = difference(old, new)
    assert (edit.start, edit.delete_count, edit.data) == (5, 5, [1, 2, 5, 6, 0])


@given(
    size=st.integers(800, 3000),
    at=st.floats(0, 1),
    removed=st.integers(0, 900),
    added=st.integers(0, 900),
    seed=st.integers(0, 99),
)
def test_large_arrays_compared_a_chunk_at_a_time(size: int, at: float, removed: int, added: int, seed: int) -> None:
    rnd = random.Random(seed)
    old = [rnd.randrange(4) for _ in range(5 * size)]
    cut = 5 * int(at * size)
    new = old[:cut] + [rnd.randrange(4) for _ in range(5 * added)] + old[cut + 5 * removed :]
    edits = difference(old, new)
    assert apply_token_edits(old, edits) == new
    if edits:
        (edit,) = edits
        assert edit.start >= cut - 5 and edit.delete_count <= 5 * removed + 10
