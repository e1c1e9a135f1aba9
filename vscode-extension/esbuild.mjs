// Bundles the extension into dist/extension.js (--production: minified, --watch: rebuild on change),
// or, with --tests, the unit tests into out/test/.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');
const watch = process.argv.includes('--watch');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  logLevel: 'warning',
};

if (tests) {
  const unitDir = path.join(root, 'test', 'unit');
  const entryPoints = readdirSync(unitDir)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => path.join('test', 'unit', name));
  rmSync(path.join(root, 'out', 'test'), { recursive: true, force: true });
  // The unit tests cover the modules that do not need VS Code: `vscode` is left unresolvable on purpose.
  await esbuild.build({ ...common, entryPoints, outdir: 'out/test', sourcemap: 'inline' });
} else {
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  const options = {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    sourcemap: !production,
    minify: production,
  };
  if (watch) {
    const context = await esbuild.context({ ...options, logLevel: 'info' });
    await context.watch();
  } else {
    await esbuild.build(options);
  }
}
