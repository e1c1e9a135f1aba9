// Reads the `dbdsl.*` settings into the shapes the server and the launcher expect.
// Pure: takes anything with a `get` like vscode.WorkspaceConfiguration, so it is testable without VS Code.

export const DIALECTS = ['postgres', 'mysql', 'sqlite', 'mssql', 'oracle', 'snowflake'] as const;
export type Dialect = (typeof DIALECTS)[number];

export interface ConfigurationReader {
  get(section: string): unknown;
}

/** The `initializationOptions` sent to the server; `workspace/didChangeConfiguration` carries the same keys. */
export interface ServerSettings {
  /** Empty: the server takes it from the Project's `database_type`, else postgres. */
  dialect: Dialect | '';
  lint: { select: string[]; ignore: string[] };
  hover: { images: boolean };
  migrations: { directory: string; showDrops: boolean };
  /** A live database to compare the document with (empty: none). */
  database: { url: string };
}

export type ImportStrategy = 'useBundled' | 'fromEnvironment';

export interface LaunchSettings {
  serverPath: string;
  pythonInterpreter: string;
  /** useBundled: the server that ships in the extension; fromEnvironment: the dbdsl installed for the interpreter. */
  importStrategy: ImportStrategy;
}

export function isDialect(value: unknown): value is Dialect {
  return typeof value === 'string' && (DIALECTS as readonly string[]).includes(value);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

export function readServerSettings(config: ConfigurationReader): ServerSettings {
  const dialect = config.get('dialect');
  return {
    dialect: isDialect(dialect) ? dialect : '',
    lint: {
      select: stringList(config.get('lint.select')),
      ignore: stringList(config.get('lint.ignore')),
    },
    hover: { images: flag(config.get('hover.images'), true) },
    migrations: {
      directory: text(config.get('migrations.directory'), 'migrations') || 'migrations',
      showDrops: flag(config.get('migrations.showDrops'), false),
    },
    database: { url: text(config.get('database.url'), '') },
  };
}

export function readLaunchSettings(config: ConfigurationReader): LaunchSettings {
  return {
    serverPath: text(config.get('server.path'), ''),
    pythonInterpreter: text(config.get('python.interpreter'), ''),
    importStrategy: config.get('importStrategy') === 'fromEnvironment' ? 'fromEnvironment' : 'useBundled',
  };
}

/** Settings whose change needs a new server process rather than a configuration notification. */
export const LAUNCH_SETTING_KEYS = ['dbdsl.server.path', 'dbdsl.python.interpreter', 'dbdsl.importStrategy'] as const;
