#!/usr/bin/env bash
# Fills bundled/libs with the dbdsl server (built from this checkout) and its pure-Python dependencies,
# for the .vsix: VS Code runs bundled/tool/server.py with the user's Python 3.11+, which puts bundled/libs
# first on sys.path (the layout of the Python tool extensions for VS Code). Only pure-Python wheels are
# accepted, so the libraries work on every platform and Python version from 3.11.
# Needs a Python with pip and hatchling (the project's .venv after scripts/setup --test): PYTHON.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
PYTHON="${PYTHON:-python3}"
wheels="$(mktemp -d)"
trap 'rm -rf "$wheels"' EXIT
rm -rf bundled/libs
"$PYTHON" -m pip wheel -q --no-deps --no-build-isolation -w "$wheels" ..
# the dependencies at the versions the tests ran with (those of $PYTHON's environment)
"$PYTHON" -m pip freeze --exclude-editable --exclude dbdsl >"$wheels/constraints.txt"
"$PYTHON" -m pip install -q --disable-pip-version-check --no-compile --target bundled/libs \
  --only-binary=:all: --implementation py --abi none --platform any --python-version 3.11 \
  -c "$wheels/constraints.txt" "$wheels"/dbdsl-*.whl 2> >(grep -v "^WARNING: Location" >&2)
rm -rf bundled/libs/bin
find bundled/libs -name '__pycache__' -type d -prune -exec rm -rf {} +
if find bundled/libs -name '*.so' -o -name '*.pyd' | grep -q .; then
  echo "bundled/libs holds compiled modules: the .vsix would not run everywhere" >&2
  exit 1
fi
echo "bundled/libs: $(ls bundled/libs | grep -c dist-info) distributions ($(du -sh bundled/libs | cut -f1))"
