"""Relationships in plain English: "many posts belong to one user; deleting a user deletes their posts"."""

from __future__ import annotations

from ..model.schema import Ref, Schema

VOWELS = "aeiou"


def _words(table: str) -> str:
    return table.replace("_", " ")


def singular(name: str) -> str:
    words = _words(name)
    lower = words.lower()
    if lower.endswith("ies") and len(lower) > 3:
        return words[:-3] + "y"
    if lower.endswith(("sses", "xes", "ches", "shes", "zes")):
        return words[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return words[:-1]
    return words


def plural(name: str) -> str:
    words = _words(name)
    lower = words.lower()
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return words
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in VOWELS:
        return words[:-1] + "ies"
    if lower.endswith(("ss", "x", "z", "ch", "sh")):
        return words + "es"
    return words + "s"


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
