"""A fixed-seed slice of bench/fuzz.py: mutated inputs of every family through parse, bind, lint,
format and SQL, each within its time and memory bound, none raising. (`python bench/fuzz.py --count
100000` runs the long version.)"""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO


def test_fuzz_slice() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "fuzz.py"), "--count", "150", "--seed", "7"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "outcomes: ok 150, exception 0, timeout 0, memory 0, crash 0" in result.stdout
    families = next(line for line in result.stdout.splitlines() if line.startswith("families:"))
    assert " 0," not in families + ","  # every family ran
