import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  expandPath,
  resolveServerLaunch,
  type ImportCheck,
  type LaunchProbes,
  type LaunchResolution,
  type PathContext,
} from '../../src/serverLaunch';
import type { LaunchSettings } from '../../src/settings';

const context: PathContext = { homeDir: '/home/ada', workspaceFolder: '/work/shop', platform: 'linux' };

interface FakeMachine {
  /** Bare names on PATH and absolute paths that exist, mapped to their absolute path. */
  executables?: Record<string, string>;
  /** Pythons (absolute paths) mapped to the result of `import dbdsl`. */
  imports?: Record<string, ImportCheck>;
  /** Pythons (absolute paths) mapped to their version; 3.12 when not given. */
  versions?: Record<string, [number, number] | undefined>;
}

function probes(machine: FakeMachine): LaunchProbes & { importChecks: string[] } {
  const importChecks: string[] = [];
  return {
    importChecks,
    findExecutable: (candidate) => Promise.resolve(machine.executables?.[candidate]),
    checkImport: (python) => {
      importChecks.push(python);
      return Promise.resolve(machine.imports?.[python] ?? { ok: false, packageMissing: true, reason: "No module named 'dbdsl'" });
    },
    pythonVersion: (python) =>
      Promise.resolve(machine.versions !== undefined && python in machine.versions ? machine.versions[python] : [3, 12]),
  };
}

function launched(resolution: LaunchResolution): string[] {
  assert.ok(resolution.ok, resolution.ok ? '' : resolution.problem.message);
  return [resolution.launch.command, ...resolution.launch.args];
}

function problem(resolution: LaunchResolution): { message: string; setting: string } {
  assert.ok(!resolution.ok, 'expected a launch problem');
  return resolution.problem;
}

const noSettings: LaunchSettings = { serverPath: '', pythonInterpreter: '', importStrategy: 'fromEnvironment' };
const bundled: LaunchSettings = { ...noSettings, importStrategy: 'useBundled' };
const withBundle: PathContext = { ...context, bundledServer: '/ext/dbdsl/bundled/tool/server.py' };
const missing: ImportCheck = { ok: false, packageMissing: true, reason: "ModuleNotFoundError: No module named 'dbdsl'" };

describe('resolveServerLaunch', () => {
  test('dbdsl.server.path wins and runs `<path> serve`', async () => {
    const machine = probes({ executables: { '/opt/dbdsl': '/opt/dbdsl', dbdsl: '/usr/bin/dbdsl' } });
    const resolution = await resolveServerLaunch({ ...noSettings, serverPath: '/opt/dbdsl', pythonInterpreter: '/usr/bin/python3' }, machine, context);
    assert.deepEqual(launched(resolution), ['/opt/dbdsl', 'serve']);
    assert.deepEqual(machine.importChecks, []);
  });

  test('a dbdsl.server.path that does not exist is reported with its setting', async () => {
    const found = problem(await resolveServerLaunch({ ...noSettings, serverPath: '~/bin/dbdsl' }, probes({}), context));
    assert.equal(found.setting, 'dbdsl.server.path');
    assert.match(found.message, /\/home\/ada\/bin\/dbdsl/);
  });

  test('dbdsl.python.interpreter runs `<python> -m dbdsl serve` once dbdsl imports', async () => {
    const machine = probes({
      executables: { '/work/shop/.venv/bin/python': '/work/shop/.venv/bin/python' },
      imports: { '/work/shop/.venv/bin/python': { ok: true } },
    });
    const resolution = await resolveServerLaunch({ ...noSettings, pythonInterpreter: '.venv/bin/python' }, machine, context);
    assert.deepEqual(launched(resolution), ['/work/shop/.venv/bin/python', '-m', 'dbdsl', 'serve']);
  });

  test('a Python without the package gets install instructions, not a traceback', async () => {
    const machine = probes({ executables: { '/usr/bin/python3.12': '/usr/bin/python3.12' }, imports: { '/usr/bin/python3.12': missing } });
    const found = problem(await resolveServerLaunch({ ...noSettings, pythonInterpreter: '/usr/bin/python3.12' }, machine, context));
    assert.equal(found.setting, 'dbdsl.python.interpreter');
    assert.match(found.message, /not installed for \/usr\/bin\/python3\.12/);
    assert.ok(found.message.includes('/usr/bin/python3.12 -m pip install /path/to/dbdsl'), found.message);
    assert.ok(found.message.includes('"useBundled"'), found.message);
    assert.doesNotMatch(found.message, /Traceback|ModuleNotFoundError/);
  });

  test('a dbdsl package that fails to import says why', async () => {
    const broken: ImportCheck = { ok: false, packageMissing: false, reason: "ModuleNotFoundError: No module named 'lark'" };
    const machine = probes({ executables: { python3: '/usr/bin/python3' }, imports: { '/usr/bin/python3': broken } });
    const found = problem(await resolveServerLaunch(noSettings, machine, context));
    assert.match(found.message, /Importing dbdsl with \/usr\/bin\/python3 failed: .*'lark'/);
  });

  test('without settings, `dbdsl serve` from PATH comes before python3', async () => {
    const machine = probes({ executables: { dbdsl: '/home/ada/.local/bin/dbdsl', python3: '/usr/bin/python3' } });
    assert.deepEqual(launched(await resolveServerLaunch(noSettings, machine, context)), ['/home/ada/.local/bin/dbdsl', 'serve']);
    assert.deepEqual(machine.importChecks, []);
  });

  test('without settings and without dbdsl on PATH, python3 -m dbdsl serve', async () => {
    const machine = probes({ executables: { python3: '/usr/bin/python3' }, imports: { '/usr/bin/python3': { ok: true } } });
    assert.deepEqual(launched(await resolveServerLaunch(noSettings, machine, context)), ['/usr/bin/python3', '-m', 'dbdsl', 'serve']);
  });

  test('python3 without the package: install instructions naming python3', async () => {
    const machine = probes({ executables: { python3: '/usr/bin/python3' }, imports: { '/usr/bin/python3': missing } });
    const found = problem(await resolveServerLaunch(noSettings, machine, context));
    assert.ok(found.message.includes('/usr/bin/python3 -m pip install /path/to/dbdsl'), found.message);
  });

  test('nothing at all on PATH', async () => {
    const found = problem(await resolveServerLaunch(noSettings, probes({}), context));
    assert.match(found.message, /no `dbdsl` and no `python3` on PATH/);
  });

  test('on Windows the fallback interpreter is `python`', async () => {
    const machine = probes({ executables: { python: 'C:\\Python312\\python.exe' }, imports: { 'C:\\Python312\\python.exe': { ok: true } } });
    const resolution = await resolveServerLaunch(noSettings, machine, { ...context, platform: 'win32' });
    assert.deepEqual(launched(resolution), ['C:\\Python312\\python.exe', '-m', 'dbdsl', 'serve']);
  });

  test('the description quotes paths with spaces', async () => {
    const python = '/Users/ada/My Envs/bin/python';
    const machine = probes({ executables: { [python]: python }, imports: { [python]: { ok: true } } });
    const resolution = await resolveServerLaunch({ ...noSettings, pythonInterpreter: python }, machine, context);
    assert.ok(resolution.ok);
    assert.equal(resolution.launch.description, '"/Users/ada/My Envs/bin/python" -m dbdsl serve');
  });
});

describe('the bundled server (dbdsl.importStrategy useBundled)', () => {
  test('python3 from PATH runs the bundled server script, with no import check', async () => {
    const machine = probes({ executables: { python3: '/usr/bin/python3', dbdsl: '/usr/local/bin/dbdsl' } });
    const resolution = await resolveServerLaunch(bundled, machine, withBundle);
    assert.deepEqual(launched(resolution), ['/usr/bin/python3', '/ext/dbdsl/bundled/tool/server.py']);
    assert.deepEqual(machine.importChecks, []);
  });

  test('dbdsl.python.interpreter chooses the interpreter', async () => {
    const python = '/work/shop/.venv/bin/python';
    const machine = probes({ executables: { [python]: python, python3: '/usr/bin/python3' } });
    const resolution = await resolveServerLaunch({ ...bundled, pythonInterpreter: '.venv/bin/python' }, machine, withBundle);
    assert.deepEqual(launched(resolution), [python, '/ext/dbdsl/bundled/tool/server.py']);
  });

  test('a Python older than 3.11 is refused with its version', async () => {
    const machine = probes({ executables: { python3: '/usr/bin/python3' }, versions: { '/usr/bin/python3': [3, 9] } });
    const found = problem(await resolveServerLaunch(bundled, machine, withBundle));
    assert.equal(found.setting, 'dbdsl.python.interpreter');
    assert.match(found.message, /needs Python 3\.11 or newer; \/usr\/bin\/python3 is Python 3\.9/);
  });

  test('no Python at all says what is needed', async () => {
    const found = problem(await resolveServerLaunch(bundled, probes({}), withBundle));
    assert.match(found.message, /needs Python 3\.11 or newer: there is no `python3` on PATH/);
  });

  test('dbdsl.server.path still wins', async () => {
    const machine = probes({ executables: { '/opt/dbdsl': '/opt/dbdsl', python3: '/usr/bin/python3' } });
    const resolution = await resolveServerLaunch({ ...bundled, serverPath: '/opt/dbdsl' }, machine, withBundle);
    assert.deepEqual(launched(resolution), ['/opt/dbdsl', 'serve']);
  });

  test('a package without the bundle falls back to the environment', async () => {
    const machine = probes({ executables: { dbdsl: '/usr/local/bin/dbdsl' } });
    assert.deepEqual(launched(await resolveServerLaunch(bundled, machine, context)), ['/usr/local/bin/dbdsl', 'serve']);
  });
});

describe('expandPath', () => {
  test('home directory, workspace folder, relative paths and bare names', () => {
    assert.equal(expandPath('~/venv/bin/python', context), '/home/ada/venv/bin/python');
    assert.equal(expandPath('${workspaceFolder}/.venv/bin/dbdsl', context), '/work/shop/.venv/bin/dbdsl');
    assert.equal(expandPath('.venv/bin/python', context), '/work/shop/.venv/bin/python');
    assert.equal(expandPath('python3.12', context), 'python3.12');
    assert.equal(expandPath('/usr/bin/python3', context), '/usr/bin/python3');
  });

  test('without a workspace folder a relative path is left as written', () => {
    assert.equal(expandPath('.venv/bin/python', { ...context, workspaceFolder: undefined }), '.venv/bin/python');
  });
});
