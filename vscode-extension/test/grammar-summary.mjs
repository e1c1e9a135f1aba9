// Prints how many scope assertions the grammar test files hold, using the test tool's own parser.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { parseGrammarTestCase } = require('vscode-tmgrammar-test/dist/unit/index.js');

const grammarTestDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'grammar');
const files = readdirSync(grammarTestDir).filter((name) => name.endsWith('.dbml'));
let ranges = 0;
let scopeChecks = 0;
for (const file of files) {
  const testCase = parseGrammarTestCase(readFileSync(path.join(grammarTestDir, file), 'utf8'));
  for (const line of testCase.assertions) {
    for (const assertion of line.scopeAssertions) {
      ranges += 1;
      scopeChecks += assertion.scopes.length + assertion.exclude.length;
    }
  }
}
console.log(`grammar: ${files.length} test files, ${ranges} assertions, ${scopeChecks} scope checks`);
