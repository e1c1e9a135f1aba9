// Decides how to start the dbdsl language server, in the documented order: `dbdsl.server.path`; else,
// with `dbdsl.importStrategy` "useBundled" (the default), the server bundled in the extension run by
// `dbdsl.python.interpreter` or `python3` (3.11 or newer); else ("fromEnvironment") `dbdsl.python.interpreter`
// with its own dbdsl, then `dbdsl` on PATH, then `python3 -m dbdsl`.
// Pure: file-system and process checks come in through `LaunchProbes`.
import path from 'node:path';
import type { LaunchSettings } from './settings';

export interface ServerLaunch {
  command: string;
  args: string[];
  /** One line for the output channel, e.g. "/usr/bin/python3 -m dbdsl serve". */
  description: string;
}

export type ImportCheck = { ok: true } | { ok: false; packageMissing: boolean; reason: string };

export interface LaunchProbes {
  /** Absolute path of an executable file: the candidate itself when it is a path, else found on PATH. */
  findExecutable(candidate: string): Promise<string | undefined>;
  /** Runs `<python> -c "import dbdsl"`. */
  checkImport(python: string): Promise<ImportCheck>;
  /** The interpreter's version as [major, minor], or undefined when it does not run. */
  pythonVersion(python: string): Promise<[number, number] | undefined>;
}

/** The oldest Python the server runs on. */
export const MINIMUM_PYTHON: [number, number] = [3, 11];

export interface LaunchProblem {
  /** Shown to the user as is: what is wrong and how to fix it, never a stack trace. */
  message: string;
  /** The setting the "Open Settings" button goes to. */
  setting: string;
}

export type LaunchResolution = { ok: true; launch: ServerLaunch } | { ok: false; problem: LaunchProblem };

export interface PathContext {
  homeDir: string;
  workspaceFolder: string | undefined;
  platform: NodeJS.Platform;
  /** The bundled server's start script (bundled/tool/server.py in the extension), when the package has it. */
  bundledServer?: string | undefined;
}

/**
 * Expands a leading `~` and `${workspaceFolder}`, as users write them in settings, and makes a relative
 * path such as `.venv/bin/python` relative to the workspace folder. A bare name stays a bare name (PATH lookup).
 */
export function expandPath(value: string, context: PathContext): string {
  const paths = context.platform === 'win32' ? path.win32 : path.posix;
  let expanded = value;
  if (context.workspaceFolder !== undefined) {
    expanded = expanded.split('${workspaceFolder}').join(context.workspaceFolder);
  }
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) {
    expanded = context.homeDir + expanded.slice(1);
  }
  const isBareName = !expanded.includes('/') && !(context.platform === 'win32' && expanded.includes('\\'));
  if (!isBareName && !paths.isAbsolute(expanded) && context.workspaceFolder !== undefined) {
    expanded = paths.join(context.workspaceFolder, expanded);
  }
  return expanded;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(value) ? value : `"${value}"`;
}

function launch(command: string, args: string[]): LaunchResolution {
  return { ok: true, launch: { command, args, description: [command, ...args].map(shellQuote).join(' ') } };
}

export function installInstructions(python: string): string {
  const py = shellQuote(python);
  return (
    `Install it from a clone of the dbdsl repository with this interpreter (\`${py} -m pip install /path/to/dbdsl\`), ` +
    'or set "dbdsl.importStrategy" to "useBundled" to run the server that comes with this extension. ' +
    'Then run "dbdsl: Restart server".'
  );
}

function importProblem(python: string, check: Exclude<ImportCheck, { ok: true }>): LaunchResolution {
  const message = check.packageMissing
    ? `The Python package "dbdsl" is not installed for ${python}. ${installInstructions(python)}`
    : `Importing dbdsl with ${python} failed: ${check.reason}. ${installInstructions(python)}`;
  return { ok: false, problem: { message, setting: 'dbdsl.python.interpreter' } };
}

async function pythonLaunch(python: string, probes: LaunchProbes): Promise<LaunchResolution> {
  const check = await probes.checkImport(python);
  return check.ok ? launch(python, ['-m', 'dbdsl', 'serve']) : importProblem(python, check);
}

async function bundledLaunch(
  settings: LaunchSettings,
  bundledServer: string,
  probes: LaunchProbes,
  context: PathContext,
): Promise<LaunchResolution> {
  const setting = 'dbdsl.python.interpreter';
  const fallback = context.platform === 'win32' ? 'python' : 'python3';
  const wanted = settings.pythonInterpreter !== '' ? expandPath(settings.pythonInterpreter, context) : fallback;
  const python = await probes.findExecutable(wanted);
  const needed = `Python ${MINIMUM_PYTHON.join('.')} or newer`;
  if (python === undefined) {
    const where = settings.pythonInterpreter !== '' ? `"${setting}" is set to ${wanted}, but no executable file is there` : `there is no \`${fallback}\` on PATH`;
    return {
      ok: false,
      problem: { message: `The dbdsl server needs ${needed}: ${where}. Install Python, or set "${setting}".`, setting },
    };
  }
  const version = await probes.pythonVersion(python);
  const [major, minor] = version ?? [0, 0];
  if (major < MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor < MINIMUM_PYTHON[1])) {
    const found = version === undefined ? 'does not run' : `is Python ${major}.${minor}`;
    return {
      ok: false,
      problem: { message: `The dbdsl server needs ${needed}; ${python} ${found}. Set "${setting}" to a newer one.`, setting },
    };
  }
  return launch(python, [bundledServer]);
}

export async function resolveServerLaunch(
  settings: LaunchSettings,
  probes: LaunchProbes,
  context: PathContext,
): Promise<LaunchResolution> {
  if (settings.serverPath !== '') {
    const configured = expandPath(settings.serverPath, context);
    const executable = await probes.findExecutable(configured);
    if (executable === undefined) {
      return {
        ok: false,
        problem: {
          message: `"dbdsl.server.path" is set to ${configured}, but no executable file is there.`,
          setting: 'dbdsl.server.path',
        },
      };
    }
    return launch(executable, ['serve']);
  }

  if (settings.importStrategy === 'useBundled' && context.bundledServer !== undefined) {
    return bundledLaunch(settings, context.bundledServer, probes, context);
  }

  if (settings.pythonInterpreter !== '') {
    const configured = expandPath(settings.pythonInterpreter, context);
    const python = await probes.findExecutable(configured);
    if (python === undefined) {
      return {
        ok: false,
        problem: {
          message: `"dbdsl.python.interpreter" is set to ${configured}, but no executable file is there.`,
          setting: 'dbdsl.python.interpreter',
        },
      };
    }
    return pythonLaunch(python, probes);
  }

  const dbdsl = await probes.findExecutable('dbdsl');
  if (dbdsl !== undefined) {
    return launch(dbdsl, ['serve']);
  }

  const pythonName = context.platform === 'win32' ? 'python' : 'python3';
  const python = await probes.findExecutable(pythonName);
  if (python === undefined) {
    return {
      ok: false,
      problem: {
        message:
          `The dbdsl server was not found: there is no \`dbdsl\` and no \`${pythonName}\` on PATH. ` +
          `Install Python 3.11 or newer and dbdsl from a clone of its repository (\`${pythonName} -m pip install /path/to/dbdsl\`), ` +
          'set "dbdsl.importStrategy" to "useBundled", or set "dbdsl.server.path" or "dbdsl.python.interpreter".',
        setting: 'dbdsl.python.interpreter',
      },
    };
  }
  return pythonLaunch(python, probes);
}
