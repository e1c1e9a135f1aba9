// Parse each file given with Mermaid's own parser, as a browser would before drawing it.
// Prints one JSON line per file: {"file", "type"} or {"file", "error"}; exits 1 when any failed.
// Mermaid expects a DOM at import time; jsdom provides one.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(readFileSync(file, 'utf8'));
    console.log(JSON.stringify({ file, type: result.diagramType }));
  } catch (error) {
    failed += 1;
    console.log(JSON.stringify({ file, error: String(error?.message ?? error) }));
  }
}
process.exit(failed ? 1 : 0);
