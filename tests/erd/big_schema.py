"""A 100-table schema shaped like real ones: ten domains, each a root table, two lookup tables, four
tables under the root and three under those; every domain's root points at the first domain's root."""

from __future__ import annotations

import random


def big_schema_text(domains: int = 10, seed: int = 7) -> str:
    rnd = random.Random(seed)
    blocks = []
    for d in range(domains):
        root = f"d{d}_root"
        tables: dict[str, list[tuple[str, bool]]] = {root: []}
        lookups = [f"d{d}_lookup{i}" for i in range(2)]
        tables.update({name: [] for name in lookups})
        children = [f"d{d}_child{i}" for i in range(4)]
        for child in children:
            tables[child] = [(root, False), (rnd.choice(lookups), True)]
        for i in range(3):
            tables[f"d{d}_leaf{i}"] = [(rnd.choice(children), False)]
        if d > 0:
            tables[root].append(("d0_root", False))
        for name, refs in tables.items():
            columns = ["  id bigint [pk, increment]"]
            for target, nullable in refs:
                columns.append(f"  {target}_id bigint [{'' if nullable else 'not null, '}ref: > {target}.id]")
            for k in range(rnd.randrange(2, 8)):
                columns.append(f"  attr_{k} {rnd.choice(['varchar(80)', 'int', 'timestamptz', 'text'])}")
            blocks.append(f"Table {name} {{\n" + "\n".join(columns) + "\n}")
        blocks.append(f"TableGroup domain_{d} {{\n  " + "\n  ".join(tables) + "\n}")
    return "\n\n".join(blocks) + "\n"
