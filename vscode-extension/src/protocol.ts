// The contract with the dbdsl server's `workspace/executeCommand` handlers.
// Every server command takes exactly one object argument.
import type { Dialect } from './settings';

export const SERVER_COMMANDS = {
  exportSql: 'dbdsl.server.exportSql',
  generateMigration: 'dbdsl.server.generateMigration',
  generateDocument: 'dbdsl.server.generateDocument',
  renderErd: 'dbdsl.server.renderErd',
  showDrift: 'dbdsl.server.showDrift',
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

/** Reply of `dbdsl.server.showDrift`: the steps from the database to the document, and their SQL. */
export interface DriftReply {
  database: string;
  steps: string[];
  sql: string;
}

export function parseDriftReply(value: unknown): DriftReply | { error: string } | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.error === 'string') return { error: value.error };
  const { database, steps, sql } = value;
  if (typeof database !== 'string' || typeof sql !== 'string') return undefined;
  if (!Array.isArray(steps) || !steps.every((step) => typeof step === 'string')) return undefined;
  return { database, steps, sql };
}

/** A position, range and location as the server sends them (LSP JSON: 0-based lines, UTF-16 columns). */
export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export interface LspLocation {
  uri: string;
  range: LspRange;
}

/**
 * The arguments of `dbdsl.showReferences`, the command of the server's "N references" code lenses:
 * `[uri, position, locations]`, the shape of VS Code's `editor.action.showReferences`.
 */
export interface ShowReferencesArguments {
  uri: string;
  position: LspPosition;
  locations: LspLocation[];
}

function isPosition(value: unknown): value is LspPosition {
  return (
    isRecord(value) &&
    Number.isInteger(value.line) &&
    Number.isInteger(value.character) &&
    (value.line as number) >= 0 &&
    (value.character as number) >= 0
  );
}

function isLocation(value: unknown): value is LspLocation {
  return (
    isRecord(value) &&
    typeof value.uri === 'string' &&
    value.uri !== '' &&
    isRecord(value.range) &&
    isPosition(value.range.start) &&
    isPosition(value.range.end)
  );
}

export function parseShowReferences(args: readonly unknown[]): ShowReferencesArguments | undefined {
  if (args.length !== 3) return undefined;
  const [uri, position, locations] = args;
  if (typeof uri !== 'string' || uri === '' || !isPosition(position)) return undefined;
  if (!Array.isArray(locations) || !locations.every(isLocation)) return undefined;
  return { uri, position, locations };
}
