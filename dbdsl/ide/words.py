"""Relationships in plain English: "many posts belong to one user; deleting a user deletes their posts"."""

from __future__ import annotations

from ..analysis import words as english
from ..model.schema import Ref, Schema

VOWELS = "aeiou"


def _split(name: str) -> tuple[str, str]:
    """`order_items` -> ('order ', 'items'): the words before the last, and the last."""
    head, space, last = name.replace("_", " ").rpartition(" ")
    return head + space, last


def _cased(written: str, word: str) -> str:
    """`word` with the capitals of `written` where they share letters (`Users` -> `User`)."""
    same = 0
    for a, b in zip(written, word):
        if a.lower() != b.lower():
            break
        same += 1
    return written[:same] + word[same:]


def singular(name: str) -> str:
    """A table name's singular in words: `order_items` -> `order item` (English rules: `analysis.words`)."""
    head, last = _split(name)
    return head + _cased(last, english.singular(last))


def plural(name: str) -> str:
    """A table name's plural in words, whether it is written singular or plural already."""
    head, last = _split(name)
    if english.is_plural(last):
        return head + last
    return head + english.plural(last)


A_BEFORE = ("uni", "use", "usa", "usu", "uti", "ura", "ure", "uro", "eu", "one")


def article(noun: str) -> str:
    """`a user`, `an order`: by the sound, as far as the spelling tells."""
    lower = noun.lower()
    vowel = lower[:1] in VOWELS and not lower.startswith(A_BEFORE)
    return ("an " if vowel else "a ") + noun


def _columns(columns: tuple[str, ...]) -> str:
    return ", ".join(columns)


def describe_ref(ref: Ref, schema: Schema | None = None) -> str:
    """Both ends of a relationship, and what deleting or changing the referenced row does."""
    if ref.many_to_many:
        left, right = ref.left, ref.right
        return (
            f"many {plural(left.table)} relate to many {plural(right.table)} "
            "(many-to-many: the database needs a junction table for it)"
        )
    fk, pk = ref.fk_side, ref.pk_side
    one_to_one = ref.op == "-"
    child_one, parent_one = singular(fk.table), singular(pk.table)
    children = child_one if one_to_one else plural(fk.table)
    optional = _optional(ref, schema)
    if one_to_one:
        head = f"one {child_one} {'may belong' if optional else 'belongs'} to one {parent_one}"
    else:
        head = f"many {children} {'may belong' if optional else 'belong'} to one {parent_one}"
    if optional:
        head += f" ({_columns(fk.columns)} can be null)"
    their = f"its {child_one}" if one_to_one else f"their {children}"
    refer = "refers" if one_to_one else "refer"
    sentences = [head]
    delete = ref.on_delete
    parent = article(parent_one)
    if delete == "cascade":
        sentences.append(f"deleting {parent} deletes {their}")
    elif delete == "set null":
        sentences.append(f"deleting {parent} sets {_columns(fk.columns)} of {their} to null")
    elif delete == "set default":
        sentences.append(f"deleting {parent} sets {_columns(fk.columns)} of {their} to the default")
    elif delete in ("restrict", "no action"):
        sentences.append(f"{parent} cannot be deleted while {children} {refer} to it")
    else:
        sentences.append(f"no delete action is set: deleting {parent} that {children} {refer} to fails")
    update = ref.on_update
    keys = _columns(pk.columns)
    if update == "cascade":
        sentences.append(f"changing {parent}'s {keys} updates {their}")
    elif update in ("set null", "set default"):
        value = "null" if update == "set null" else "the default"
        sentences.append(f"changing {parent}'s {keys} sets {_columns(fk.columns)} of {their} to {value}")
    elif update in ("restrict", "no action"):
        sentences.append(f"{parent}'s {keys} cannot change while {children} {refer} to it")
    return "; ".join(sentences)


def _optional(ref: Ref, schema: Schema | None) -> bool:
    if schema is None:
        return False
    table = schema.table(ref.fk_side.table_key)
    if table is None:
        return False
    columns = [table.column(c) for c in ref.fk_side.columns]
    return any(c is not None and c.nullable for c in columns)


def cardinality(ref: Ref) -> str:
    """`many-to-one` as seen from the left side of the relationship as written."""
    return {">": "many-to-one", "<": "one-to-many", "-": "one-to-one", "<>": "many-to-many"}[ref.op]
