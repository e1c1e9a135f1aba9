// Real file-system and process checks behind `LaunchProbes`.
import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ImportCheck, LaunchProbes } from './serverLaunch';

const IMPORT_TIMEOUT_MS = 20_000;

async function isExecutableFile(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    if (platform !== 'win32') await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  return lines[lines.length - 1]?.trim() ?? '';
}

export function nodeLaunchProbes(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): LaunchProbes {
  const extensions = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean)] : [''];

  async function findExecutable(candidate: string): Promise<string | undefined> {
    const isPath = candidate.includes('/') || (platform === 'win32' && candidate.includes('\\'));
    const directories = isPath ? [''] : (env.PATH ?? '').split(path.delimiter).filter(Boolean);
    for (const directory of directories) {
      for (const extension of extensions) {
        const file = path.resolve(directory, candidate + extension);
        if (await isExecutableFile(file, platform)) return file;
      }
    }
    return undefined;
  }

  function checkImport(python: string): Promise<ImportCheck> {
    return new Promise((resolve) => {
      execFile(python, ['-c', 'import dbdsl'], { timeout: IMPORT_TIMEOUT_MS, env }, (error, _stdout, stderr) => {
        if (error === null) {
          resolve({ ok: true });
          return;
        }
        const reason = lastLine(stderr) || error.message;
        const packageMissing = /No module named '?dbdsl'?$/.test(reason);
        resolve({ ok: false, packageMissing, reason });
      });
    });
  }

  function pythonVersion(python: string): Promise<[number, number] | undefined> {
    return new Promise((resolve) => {
      const script = 'import sys; print("%d.%d" % sys.version_info[:2])';
      execFile(python, ['-c', script], { timeout: IMPORT_TIMEOUT_MS, env }, (error, stdout) => {
        const match = error === null ? /^(\d+)\.(\d+)$/.exec(stdout.trim()) : null;
        resolve(match === null ? undefined : [Number(match[1]), Number(match[2])]);
      });
    });
  }

  return { findExecutable, checkImport, pythonVersion };
}
