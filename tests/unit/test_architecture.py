"""docs/architecture.md stays true: every module-level import inside `dbdsl/` goes up the package map's
table (from a part to one listed before it), except the exceptions the page names."""

from __future__ import annotations

import ast
import re

from tests.helpers import REPO

PACKAGE = REPO / "dbdsl"
# imports that go down the table, as named on the page (`emit` and `physical` read each other)
EXCEPTIONS = {("emit", "physical")}


def layers() -> list[list[str]]:
    """The first column of the package map: per row, the parts it names (`model/`, `findings.py`...)."""
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = page.split("## The package map", 1)[1].split("\n\n")[2]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return [[name.rstrip("/").removesuffix(".py") for name in re.findall(r"`([^`]+)`", row)] for row in rows]


def part_of(module: str, parts: dict[str, int]) -> str | None:
    """The most specific part a module (`model.schema`, `rules.base`) belongs to."""
    path = module.replace(".", "/")
    best = None
    for part in parts:
        if path == part or path.startswith(part + "/"):
            best = part if best is None or len(part) > len(best) else best
    return best


def test_imports_go_up_the_package_map() -> None:
    rows = layers()
    assert len(rows) > 10, "the package map table was not found"
    parts = {part: n for n, row in enumerate(rows) for part in row}
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        source = part_of(module, parts)
        if source is None:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:  # module level only
            if not isinstance(node, ast.ImportFrom) or node.level == 0:
                continue
            base = package[: len(package) - (node.level - 1)]
            target_module = ".".join(base + (node.module.split(".") if node.module else []))
            targets = [target_module] if node.module else [f"{target_module}.{a.name}".strip(".") for a in node.names]
            for target in targets:
                goal = part_of(target, parts)
                if goal is None or goal == source or parts[goal] <= parts[source]:
                    continue
                if (source.split("/")[0], goal.split("/")[0]) not in EXCEPTIONS:
                    wrong.append(f"{module} imports {target} ({source} is above {goal} in the map)")
    assert wrong == [], "\n".join(wrong)
