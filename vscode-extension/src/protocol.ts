// The contract with the dbdsl server's `workspace/executeCommand` handlers.
// Every server command takes exactly one object argument.
import type { Dialect } from './settings';

export const SERVER_COMMANDS = {
  exportSql: 'dbdsl.server.exportSql',
  generateMigration: 'dbdsl.server.generateMigration',
  generateDocument: 'dbdsl.server.generateDocument',
  renderErd: 'dbdsl.server.renderErd',
} as const;

export interface ExportSqlArgument {
  uri: string;
  dialect: Dialect;
}

export interface DocumentArgument {
  uri: string;
}

export interface RenderErdArgument {
  uri: string;
  format: 'svg';
  write: false;
}

/** Reply of the commands that create a file through `workspace/applyEdit`; `null` when nothing was created. */
export interface CreatedFile {
  uri: string;
}

export interface ErdReply {
  /** `svg` when Graphviz rendered the diagram; `txt` is a text diagram (Graphviz missing). */
  format: 'svg' | 'txt';
  content: string;
  message?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isCreatedFile(value: unknown): value is CreatedFile {
  return isRecord(value) && typeof value.uri === 'string' && value.uri !== '';
}

export function parseErdReply(value: unknown): ErdReply | undefined {
  if (!isRecord(value)) return undefined;
  const { format, content, message } = value;
  if ((format !== 'svg' && format !== 'txt') || typeof content !== 'string') return undefined;
  return typeof message === 'string' && message !== '' ? { format, content, message } : { format, content };
}
