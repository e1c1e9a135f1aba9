// Every valid DBML file of the shared conformance corpus, every grammar test file and the large
// benchmark inputs must leave the tokenizer back at the top level: no block, string or settings list
// may swallow the rest of a file.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { extensionRoot, INITIAL, loadDbmlGrammar, tokenizeDocument } from './support/textmate.mjs';

const corpusRoot = path.resolve(extensionRoot, '..', '..', 'shared', 'corpus');
const conformanceDir = path.join(corpusRoot, 'dbml');
const benchDir = path.join(corpusRoot, 'bench');

function validCorpusFiles() {
  const manifest = readFileSync(path.join(conformanceDir, 'manifest.tsv'), 'utf8').trim().split('\n');
  const [header, ...rows] = manifest.map((line) => line.split('\t'));
  const inputColumn = header.indexOf('input');
  const expectColumn = header.indexOf('expect');
  return rows
    .filter((row) => row[expectColumn] === 'valid' && row[inputColumn].endsWith('.dbml'))
    .map((row) => path.join(conformanceDir, row[inputColumn]));
}

function assertEndsAtTopLevel(grammar, file) {
  const stack = tokenizeDocument(grammar, readFileSync(file, 'utf8'));
  assert.ok(stack === INITIAL || stack.depth === 1, `${file} ends inside a construct (depth ${stack.depth})`);
}

describe('grammar closes every construct', () => {
  let grammar;
  before(async () => {
    grammar = await loadDbmlGrammar();
  });

  test('grammar test files', () => {
    const dir = path.join(extensionRoot, 'test', 'grammar');
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.dbml'))) {
      assertEndsAtTopLevel(grammar, path.join(dir, name));
    }
  });

  test('valid files of the DBML conformance corpus', { skip: !existsSync(conformanceDir) && 'corpus not found' }, () => {
    const files = validCorpusFiles();
    assert.ok(files.length > 0, 'the manifest lists no valid .dbml input');
    for (const file of files) assertEndsAtTopLevel(grammar, file);
  });

  test('large benchmark schemas', { skip: !existsSync(benchDir) && 'benchmark inputs not found' }, () => {
    for (const name of readdirSync(benchDir).filter((n) => n.endsWith('.dbml'))) {
      assertEndsAtTopLevel(grammar, path.join(benchDir, name));
    }
  });
});
