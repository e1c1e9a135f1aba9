import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { nodeLaunchProbes } from '../../src/probes';

const unix = process.platform !== 'win32';
const dir = mkdtempSync(path.join(tmpdir(), 'dbdsl-probes-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function script(name: string, body: string, mode = 0o755): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, mode);
  return file;
}

describe('nodeLaunchProbes', { skip: !unix && 'uses shell scripts' }, () => {
  const env = { PATH: dir };
  const machine = nodeLaunchProbes(env, 'linux');

  test('finds an executable on PATH and by path, not a plain file', async () => {
    const dbdsl = script('dbdsl', 'exit 0');
    script('notes', 'exit 0', 0o644);
    assert.equal(await machine.findExecutable('dbdsl'), dbdsl);
    assert.equal(await machine.findExecutable(dbdsl), dbdsl);
    assert.equal(await machine.findExecutable('notes'), undefined);
    assert.equal(await machine.findExecutable('absent'), undefined);
    assert.equal(await machine.findExecutable(dir), undefined);
  });

  test("an interpreter's version, and none from one that does not answer it", async () => {
    assert.deepEqual(await machine.pythonVersion(script('python-311', 'echo 3.11')), [3, 11]);
    assert.equal(await machine.pythonVersion(script('python-broken', 'exit 1')), undefined);
    assert.equal(await machine.pythonVersion(path.join(dir, 'no-such-python')), undefined);
  });

  test('a successful `import dbdsl`', async () => {
    const python = script('python-ok', 'exit 0');
    assert.deepEqual(await machine.checkImport(python), { ok: true });
  });

  test('a missing package keeps only the last line of the traceback', async () => {
    const python = script(
      'python-missing',
      [
        'echo "Traceback (most recent call last):" >&2',
        'echo "  File \\"<string>\\", line 1, in <module>" >&2',
        'echo "ModuleNotFoundError: No module named \'dbdsl\'" >&2',
        'exit 1',
      ].join('\n'),
    );
    assert.deepEqual(await machine.checkImport(python), {
      ok: false,
      packageMissing: true,
      reason: "ModuleNotFoundError: No module named 'dbdsl'",
    });
  });

  test('a broken dependency is not reported as a missing package', async () => {
    const python = script('python-broken', 'echo "ModuleNotFoundError: No module named \'lark\'" >&2\nexit 1');
    assert.deepEqual(await machine.checkImport(python), {
      ok: false,
      packageMissing: false,
      reason: "ModuleNotFoundError: No module named 'lark'",
    });
  });

  test('an interpreter that cannot run at all', async () => {
    const check = await machine.checkImport(path.join(dir, 'no-such-python'));
    assert.deepEqual({ ok: check.ok }, { ok: false });
  });
});
