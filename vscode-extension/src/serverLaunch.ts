// Decides how to start the dbdsl language server, in the documented order:
// `dbdsl.server.path`, then `dbdsl.python.interpreter`, then `dbdsl` on PATH, then `python3 -m dbdsl`.
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
}

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
    `Install it with \`${py} -m pip install dbdsl\`, or from a clone of the dbdsl repository run ` +
    `\`pip install -e .\` in the repository with this interpreter (\`${py} -m pip install -e .\`). ` +
    'Then run "dbdsl: Restart server", or set "dbdsl.python.interpreter" to a Python that has dbdsl.'
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
          `Install Python 3, then run \`${pythonName} -m pip install dbdsl\`, ` +
          'or set "dbdsl.server.path" or "dbdsl.python.interpreter".',
        setting: 'dbdsl.python.interpreter',
      },
    };
  }
  return pythonLaunch(python, probes);
}
