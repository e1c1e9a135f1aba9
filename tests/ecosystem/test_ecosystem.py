"""The ecosystem check: the default rules on real public schemas (../shared/corpus/realworld/) against the
judged baseline `judged.tsv`. Every change of advice on real schemas is a reviewed change: a finding
nobody judged fails the test, and so does a finding judged true that disappears.

To review a change: `python bench/ecosystem.py --unjudged` prints the new findings as rows; judge each
(true, false or noise, with a one-line reason) into judged.tsv.
"""

from __future__ import annotations

import functools
from collections import Counter

from tests.ecosystem import realworld
from tests.helpers import require_shared

PRECISION = 0.90
PER_TABLE = 1.5


@functools.cache
def current() -> tuple[list[realworld.Linted], Counter]:
    require_shared(realworld.REALWORLD / "manifest.tsv")
    linted = realworld.lint_all()
    keys: Counter = Counter(key for one in linted for key, _line, _f in realworld.keyed(one))
    return linted, keys


def test_every_finding_is_judged() -> None:
    linted, _keys = current()
    judged = realworld.read_judged()
    unjudged = []
    for one in linted:
        for key, line, finding in realworld.keyed(one):
            if key not in judged:
                unjudged.append(f"{key.file}:{line} {key.code} {key.subject}: {finding.message}")
    assert unjudged == [], (
        f"{len(unjudged)} findings nobody judged (python bench/ecosystem.py --unjudged lists them as rows):\n"
        + "\n".join(unjudged[:40])
    )


def test_no_finding_judged_true_disappears() -> None:
    _linted, keys = current()
    lost = [j for j in realworld.read_judged().values() if j.verdict == "true" and j.key not in keys]
    assert lost == [], "findings judged true that are gone:\n" + "\n".join(
        f"{j.key.file}:{j.line} {j.key.code} {j.key.subject}: {j.reason}" for j in lost[:40]
    )


def test_judged_precision_and_volume_meet_their_targets() -> None:
    linted, keys = current()
    judged = realworld.read_judged()
    verdicts: Counter = Counter()
    for key, count in keys.items():
        if key in judged:
            verdicts[judged[key].verdict] += count
    total = sum(verdicts.values())
    assert total, "nothing judged"
    assert verdicts["false"] == 0, [str(k) for k in keys if k in judged and judged[k].verdict == "false"]
    precision = verdicts["true"] / total
    assert precision >= PRECISION, f"judged precision {precision:.1%} (target {PRECISION:.0%}): {dict(verdicts)}"
    tables = sum(len(one.schema.tables) for one in linted)
    findings = sum(len(one.findings) for one in linted)
    assert findings <= PER_TABLE * tables, f"{findings} findings on {tables} tables (target {PER_TABLE} per table)"
