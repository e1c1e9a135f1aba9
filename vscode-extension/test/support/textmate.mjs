// Loads the extension's TextMate grammars into vscode-textmate, the engine VS Code uses.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';

const require = createRequire(import.meta.url);
export const extensionRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function contributedGrammarPaths() {
  const manifest = JSON.parse(readFileSync(path.join(extensionRoot, 'package.json'), 'utf8'));
  return new Map(manifest.contributes.grammars.map((g) => [g.scopeName, path.join(extensionRoot, g.path)]));
}

export async function loadDbmlGrammar() {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const grammarPaths = contributedGrammarPaths();
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      const grammarPath = grammarPaths.get(scopeName);
      if (grammarPath === undefined) return null;
      return textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath);
    },
  });
  const grammar = await registry.loadGrammar('source.dbml');
  if (grammar === null) throw new Error('source.dbml is not contributed by package.json');
  return grammar;
}

/** Tokenizes a whole document and returns the rule stack left after its last line. */
export function tokenizeDocument(grammar, text) {
  let stack = textmate.INITIAL;
  for (const line of text.split(/\r?\n/)) {
    stack = grammar.tokenizeLine(line, stack).ruleStack;
  }
  return stack;
}

export const INITIAL = textmate.INITIAL;
