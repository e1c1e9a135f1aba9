"""Functional dependencies: attribute closure, candidate keys, minimal cover, normal-form violations
and 3NF synthesis.

Attribute sets are bit masks over the relation's attributes (bit i = attribute i), so a closure is a
few integer operations per dependency. Candidate keys are enumerated with the algorithm of Lucchesi
and Osborn (1978): from one key, every other key is reached by replacing the right side of some
dependency in a known key by its left side and minimising; the work is polynomial in the number of
keys, attributes and dependencies, never 2^n. Synthesis is Bernstein's: minimal cover, one relation
per left side, drop relations contained in others, add a key relation when none holds a key; the
result is lossless and dependency preserving, and every relation is in 3NF.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FD = tuple[int, int]  # (left mask, right mask)


def mask_of(attrs: Iterable[str], index: dict[str, int]) -> int:
    m = 0
    for a in attrs:
        m |= 1 << index[a]
    return m


def names_of(mask: int, attrs: Sequence[str]) -> tuple[str, ...]:
    return tuple(a for i, a in enumerate(attrs) if mask >> i & 1)


def bits(mask: int) -> Iterable[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def closure(mask: int, fds: Sequence[FD]) -> int:
    """All attributes determined by `mask` under `fds`."""
    result = mask
    pending = list(fds)
    changed = True
    while changed:
        changed = False
        rest = []
        for left, right in pending:
            if left & ~result == 0:
                if right & ~result:
                    result |= right
                    changed = True
            else:
                rest.append((left, right))
        pending = rest
    return result


def is_superkey(mask: int, fds: Sequence[FD], universe: int) -> bool:
    return closure(mask, fds) & universe == universe


def minimise_key(mask: int, fds: Sequence[FD], universe: int, order: Sequence[int] | None = None) -> int:
    """A minimal superkey inside the superkey `mask` (attributes tried for removal in `order`)."""
    for i in order if order is not None else list(bits(mask)):
        if mask >> i & 1 and is_superkey(mask & ~(1 << i), fds, universe):
            mask &= ~(1 << i)
    return mask


def candidate_keys(universe: int, fds: Sequence[FD], limit: int = 10000) -> list[int]:
    """Every candidate key of the relation with attributes `universe` (up to `limit` keys)."""
    fds = [(left & universe, right & universe) for left, right in fds]
    fds = [(left, right & ~left) for left, right in fds if right & ~left]
    on_right = 0
    for _left, right in fds:
        on_right |= right
    # attributes only on right sides go first: they are never in a key, so removing them always works
    order = sorted(bits(universe), key=lambda i: (0 if on_right >> i & 1 else 1, i))
    first = minimise_key(universe, fds, universe, order)
    keys = [first]
    seen = {first}
    k = 0
    while k < len(keys) and len(keys) < limit:
        key = keys[k]
        k += 1
        for left, right in fds:
            if not key & right:
                continue
            s = left | (key & ~right)
            if any(known & ~s == 0 for known in keys):
                continue
            new = minimise_key(s, fds, universe, order)
            if new not in seen:
                seen.add(new)
                keys.append(new)
    return keys


def prime_attributes(keys: Sequence[int]) -> int:
    out = 0
    for k in keys:
        out |= k
    return out


def minimal_cover(fds: Sequence[FD]) -> list[FD]:
    """An equivalent set of dependencies with single-attribute right sides, no extraneous left
    attribute and no redundant dependency."""
    split = []
    for left, right in fds:
        for i in bits(right & ~left):
            split.append((left, 1 << i))
    # extraneous left attributes
    reduced = []
    for left, right in split:
        for i in list(bits(left)):
            smaller = left & ~(1 << i)
            if smaller and closure(smaller, split) & right:
                left = smaller
        reduced.append((left, right))
    reduced = list(dict.fromkeys(reduced))
    # redundant dependencies
    out = list(reduced)
    for fd in list(reduced):
        rest = [f for f in out if f != fd]
        if closure(fd[0], rest) & fd[1]:
            out = rest
    return out


def implies(fds: Sequence[FD], fd: FD) -> bool:
    return closure(fd[0], fds) & fd[1] == fd[1]


@dataclass(frozen=True)
class Violation:
    form: str  # '2NF', '3NF' or 'BCNF'
    left: int
    right: int  # the attributes of the dependency that violate the form


def violations(universe: int, fds: Sequence[FD], keys: Sequence[int] | None = None) -> list[Violation]:
    """For each given dependency X -> Y, the attributes of Y that break 2NF (X is a proper part of a
    candidate key and they are not prime), 3NF (X is not a superkey and they are not prime) or BCNF
    (X is not a superkey)."""
    if keys is None:
        keys = candidate_keys(universe, fds)
    prime = prime_attributes(keys)
    out: list[Violation] = []
    for left, right in fds:
        right &= universe & ~left
        if not right or is_superkey(left, fds, universe):
            continue
        partial = any(left & ~k == 0 and left != k for k in keys)
        non_prime = right & ~prime
        if non_prime:
            out.append(Violation("2NF" if partial else "3NF", left, non_prime))
        if right & prime:
            out.append(Violation("BCNF", left, right & prime))
    return out


@dataclass(frozen=True)
class Relation:
    attrs: int
    key: int  # the left side it was made from (its key); for the key relation, a candidate key


def synthesize_3nf(universe: int, fds: Sequence[FD], keys: Sequence[int] | None = None) -> list[Relation]:
    """Bernstein's synthesis: lossless, dependency preserving, every relation in 3NF."""
    cover = minimal_cover(fds)
    groups: dict[int, int] = {}
    for left, right in cover:
        groups[left] = groups.get(left, left) | right
    relations = [Relation(attrs, left) for left, attrs in groups.items()]
    # drop relations contained in another
    kept: list[Relation] = []
    for r in sorted(relations, key=lambda r: -bin(r.attrs).count("1")):
        if not any(r.attrs & ~o.attrs == 0 for o in kept):
            kept.append(r)
    if keys is None:
        keys = candidate_keys(universe, fds)
    if not any(any(k & ~r.attrs == 0 for k in keys) for r in kept):
        kept.append(Relation(keys[0], keys[0]))
    # attributes in no dependency at all still belong somewhere: with the key relation
    covered = 0
    for r in kept:
        covered |= r.attrs
    missing = universe & ~covered
    if missing:
        for n, r in enumerate(kept):
            if any(k & ~r.attrs == 0 for k in keys):
                kept[n] = Relation(r.attrs | missing, r.key)
                break
    return kept


def is_lossless(universe: int, relations: Sequence[int], fds: Sequence[FD]) -> bool:
    """The chase test: the decomposition is lossless when some row of the tableau becomes all
    distinguished."""
    attrs = list(bits(universe))
    rows = [{a: ("d" if r >> a & 1 else ("s", n)) for a in attrs} for n, r in enumerate(relations)]
    changed = True
    while changed:
        changed = False
        for left, right in fds:
            lefts = list(bits(left))
            rights = list(bits(right))
            groups: dict[tuple, list[dict]] = {}
            for row in rows:
                groups.setdefault(tuple(row[a] for a in lefts), []).append(row)
            for same in groups.values():
                if len(same) < 2:
                    continue
                for a in rights:
                    values = {row[a] for row in same}
                    if len(values) < 2:
                        continue
                    target = "d" if "d" in values else min(values, key=repr)
                    for row in same:
                        if row[a] != target:
                            old = row[a]
                            for other in rows:
                                if other[a] == old:
                                    other[a] = target
                            changed = True
        if any(all(row[a] == "d" for a in attrs) for row in rows):
            return True
    return any(all(row[a] == "d" for a in attrs) for row in rows)


def preserves(relations: Sequence[int], fds: Sequence[FD]) -> bool:
    """Whether every dependency is implied by the dependencies that hold inside the relations
    (the polynomial test of Ullman: grow the closure through each relation)."""
    for left, right in fds:
        result = left
        changed = True
        while changed:
            changed = False
            for r in relations:
                gained = closure(result & r, fds) & r
                if gained & ~result:
                    result |= gained
                    changed = True
        if right & ~result:
            return False
    return True
