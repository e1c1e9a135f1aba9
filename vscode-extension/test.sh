#!/usr/bin/env bash
# Every check of the VS Code extension, with no VS Code download: dependencies, type check, lint,
# TextMate grammar tests, unit and manifest tests, and packaging the .vsix with the server bundled in it
# (bundle-server.sh; PYTHON names the Python whose environment it comes from, the project's .venv under
# scripts/test). tests/packaging/test_vsix.py starts the bundled server from the packaged .vsix.
# Runs from any working directory; running it twice gives the same result.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
started=$SECONDS

step() {
  printf '\n==> %s\n' "$1"
}

step 'npm ci'
# skipped when node_modules was installed from this very package-lock.json
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat node_modules/.dbdsl-lock-hash 2>/dev/null)" = "$lock_hash" ]; then
  echo 'node_modules is up to date with package-lock.json'
else
  npm ci --no-audit --no-fund
  echo "$lock_hash" >node_modules/.dbdsl-lock-hash
fi

step 'TypeScript type check (strict)'
npx tsc --noEmit -p .
echo 'tsc: no errors'

step 'ESLint'
npx eslint --max-warnings 0 .
echo 'eslint: no problems'

step 'TextMate grammar tests'
npx vscode-tmgrammar-test --config package.json 'test/grammar/*.dbml'
node test/grammar-summary.mjs

step 'Unit, manifest and grammar corpus tests'
node esbuild.mjs --tests
node --test --test-reporter=spec out/test/*.test.js test/*.test.mjs

step 'Bundle the server and its Python libraries'
./bundle-server.sh

step 'Package the .vsix'
version=$(node -p "require('./package.json').version")
vsix="dbdsl-${version}.vsix"
rm -f dbdsl-*.vsix
npx vsce package --no-dependencies --out "$vsix"
packaged=$(npx vsce ls --no-dependencies)
for required in dist/extension.js syntaxes/dbml.tmLanguage.json syntaxes/sql-embedded.tmLanguage.json \
  language-configuration.json package.json README.md LICENSE bundled/tool/server.py \
  bundled/libs/dbdsl/__init__.py bundled/libs/dbdsl/grammar/dbdsl.lark bundled/libs/pygls/__init__.py; do
  if ! grep -qx "$required" <<<"$packaged"; then
    echo "the package does not contain $required" >&2
    exit 1
  fi
done
if grep -E '^(src|test|out|node_modules)/|\.map$|__pycache__' <<<"$packaged"; then
  echo 'the package contains sources, tests, source maps, node_modules or compiled Python' >&2
  exit 1
fi
echo "vsix: $vsix, $(wc -c <"$vsix") bytes"

printf '\nAll extension checks passed in %d s.\n' "$((SECONDS - started))"
