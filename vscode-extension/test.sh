#!/usr/bin/env bash
# Every check of the VS Code extension, with no VS Code download: dependencies, type check, lint,
# TextMate grammar tests, unit and manifest tests, and packaging the .vsix.
# Runs from any working directory; running it twice gives the same result.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
started=$SECONDS

step() {
  printf '\n==> %s\n' "$1"
}

step 'npm ci'
npm ci --no-audit --no-fund

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

step 'Package the .vsix'
version=$(node -p "require('./package.json').version")
vsix="dbdsl-${version}.vsix"
rm -f dbdsl-*.vsix
npx vsce package --no-dependencies --out "$vsix"
packaged=$(npx vsce ls --no-dependencies)
for required in dist/extension.js syntaxes/dbml.tmLanguage.json syntaxes/sql-embedded.tmLanguage.json \
  language-configuration.json package.json README.md LICENSE; do
  if ! grep -qx "$required" <<<"$packaged"; then
    echo "the package does not contain $required" >&2
    exit 1
  fi
done
if grep -E '^(src|test|out|node_modules)/|\.map$' <<<"$packaged"; then
  echo 'the package contains sources, tests, source maps or node_modules' >&2
  exit 1
fi
echo "vsix: $vsix, $(wc -c <"$vsix") bytes"

printf '\nAll extension checks passed in %d s.\n' "$((SECONDS - started))"
