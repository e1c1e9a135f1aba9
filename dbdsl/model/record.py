"""`@record`: the immutable records of the model (spans, tables, columns, findings...), built fast.

A frozen dataclass sets each field through `object.__setattr__`, which makes building one about three
times slower than building a plain slotted dataclass (a `Span`: 375 ns against 118; a `Column`: 2.1 µs).
Opening a 1,000-table file builds some 300,000 of them. A record is a slotted dataclass with value
equality and a hash over its fields, which the type checker treats as frozen (PEP 681's
`frozen_default`): assigning to a field is a type error that mypy reports in CI, while building one costs
what a plain dataclass costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def record(cls: type[T], /) -> type[T]:
    return dataclass(cls, slots=True, unsafe_hash=True)
