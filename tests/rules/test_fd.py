"""Functional dependency algorithms: closure, candidate keys, minimal cover, normal forms and 3NF
synthesis, checked against brute force and with Hypothesis."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from dbdsl.rules.fd import (
    candidate_keys,
    closure,
    implies,
    is_lossless,
    is_superkey,
    minimal_cover,
    preserves,
    synthesize_3nf,
    violations,
)


def mask(*bits: int) -> int:
    m = 0
    for b in bits:
        m |= 1 << b
    return m


@st.composite
def relations(draw, max_attrs: int = 7):
    n = draw(st.integers(min_value=1, max_value=max_attrs))
    universe = (1 << n) - 1
    subset = st.integers(min_value=1, max_value=universe)
    fds = draw(st.lists(st.tuples(subset, subset), max_size=8))
    return universe, fds


def brute_force_keys(universe: int, fds) -> set[int]:
    supers = [m for m in range(1, universe + 1) if m & ~universe == 0 and is_superkey(m, fds, universe)]
    keys = set()
    for m in supers:
        if not any(other != m and other & ~m == 0 for other in supers):
            keys.add(m)
    return keys or {0}


def projected_fds(relation: int, fds, universe: int) -> list[tuple[int, int]]:
    """All dependencies X -> (X+ ∩ R) for X ⊆ R (exponential; tests only)."""
    attrs = [i for i in range(universe.bit_length()) if relation >> i & 1]
    out = []
    for k in range(1, len(attrs) + 1):
        for combo in combinations(attrs, k):
            x = mask(*combo)
            out.append((x, closure(x, fds) & relation))
    return out


@given(relations())
def test_closure_is_extensive_monotone_and_idempotent(rel) -> None:
    universe, fds = rel
    for x in range(universe + 1):
        cx = closure(x, fds)
        assert cx & x == x
        assert closure(cx, fds) == cx
        for y in range(universe + 1):
            if x & ~y == 0:
                assert cx & ~closure(y, fds) == 0


@given(relations())
def test_candidate_keys_are_exactly_the_minimal_superkeys(rel) -> None:
    universe, fds = rel
    keys = candidate_keys(universe, fds)
    assert len(keys) == len(set(keys))
    for k in keys:
        assert is_superkey(k, fds, universe)
        for i in range(universe.bit_length()):
            if k >> i & 1:
                assert not is_superkey(k & ~(1 << i), fds, universe)
    assert set(keys) == brute_force_keys(universe, fds)


@given(relations())
def test_minimal_cover_is_equivalent_and_minimal(rel) -> None:
    _universe, fds = rel
    cover = minimal_cover(fds)
    for fd in fds:
        assert implies(cover, (fd[0], fd[1] & ~fd[0]))
    for fd in cover:
        assert implies(fds, fd)
        assert bin(fd[1]).count("1") == 1
        assert not implies([f for f in cover if f != fd], fd)
        for i in range(fd[0].bit_length()):
            smaller = fd[0] & ~(1 << i)
            if fd[0] >> i & 1 and smaller:
                assert not implies(cover, (smaller, fd[1]))


@settings(max_examples=150)
@given(relations(max_attrs=6))
def test_synthesis_is_lossless_dependency_preserving_and_3nf(rel) -> None:
    universe, fds = rel
    relations_ = synthesize_3nf(universe, fds)
    attrs = [r.attrs for r in relations_]
    covered = 0
    for a in attrs:
        covered |= a
    assert covered == universe
    assert is_lossless(universe, attrs, fds)
    assert preserves(attrs, fds)
    for r in attrs:
        local = projected_fds(r, fds, universe)
        keys = candidate_keys(r, local)
        prime = 0
        for k in keys:
            prime |= k
        for x, xplus in local:
            extra = xplus & ~x
            if extra and not is_superkey(x, local, r):
                assert extra & ~prime == 0, (r, x, xplus, keys)


def test_textbook_example() -> None:
    # R(student, course, teacher): (student, course) -> teacher, teacher -> course
    s, c, t = 0, 1, 2
    universe = mask(s, c, t)
    fds = [(mask(s, c), mask(t)), (mask(t), mask(c))]
    keys = set(candidate_keys(universe, fds))
    assert keys == {mask(s, c), mask(s, t)}
    found = violations(universe, fds + [(k, universe) for k in keys])
    assert [(v.form, v.left, v.right) for v in found] == [("BCNF", mask(t), mask(c))]


def test_partial_and_transitive_dependencies_are_told_apart() -> None:
    # (order, product) key; product -> name is partial (2NF); zip -> city is transitive (3NF)
    order, product, name, _qty, zip_, city = range(6)
    universe = (1 << 6) - 1
    fds = [(mask(order, product), universe), (mask(product), mask(name)), (mask(zip_), mask(city))]
    forms = {(v.form, v.left) for v in violations(universe, fds)}
    assert ("2NF", mask(product)) in forms and ("3NF", mask(zip_)) in forms


def test_thirty_columns_with_many_keys() -> None:
    # ten interchangeable pairs (a_i <-> b_i) and ten dependent columns: 2^10 keys of ten columns
    pairs = 10
    universe = (1 << 30) - 1
    fds = []
    for i in range(pairs):
        a, b = i, pairs + i
        fds += [(mask(a), mask(b)), (mask(b), mask(a))]
    everything = mask(*range(2 * pairs))
    fds.append((everything, universe))
    keys = candidate_keys(universe, fds)
    assert len(keys) == 2**pairs
    assert all(bin(k).count("1") == pairs for k in keys)


def test_thirty_column_chain_has_one_key() -> None:
    universe = (1 << 30) - 1
    fds = [(1 << i, 1 << (i + 1)) for i in range(29)]
    assert candidate_keys(universe, fds) == [1]
