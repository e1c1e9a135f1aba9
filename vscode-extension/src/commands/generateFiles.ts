// Palette commands whose server counterpart creates a file through `workspace/applyEdit` and replies
// `{ uri }` (or `null` when there was nothing to create); the created file is then opened.
import * as vscode from 'vscode';
import { isCreatedFile, SERVER_COMMANDS, type DocumentArgument, type ExportSqlArgument } from '../protocol';
import { errorMessage, type ServerController } from '../serverController';
import { DIALECTS, isDialect, type Dialect } from '../settings';
import { targetDocument } from './targetDocument';

const DIALECT_NAMES: Record<Dialect, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
  sqlite: 'SQLite',
  mssql: 'SQL Server',
  oracle: 'Oracle',
  snowflake: 'Snowflake',
};

interface FileRequest {
  serverCommand: string;
  argument: ExportSqlArgument | DocumentArgument;
  progressTitle: string;
  nothingCreated: string;
}

async function requestFile(controller: ServerController, request: FileRequest): Promise<void> {
  try {
    const reply = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: request.progressTitle },
      () => controller.executeCommand(request.serverCommand, request.argument),
    );
    if (reply === null || reply === undefined) {
      void vscode.window.showInformationMessage(request.nothingCreated);
    } else if (isCreatedFile(reply)) {
      await vscode.window.showTextDocument(vscode.Uri.parse(reply.uri), { preview: false });
    } else {
      void vscode.window.showErrorMessage(`dbdsl: the server's reply to ${request.serverCommand} has no file uri.`);
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`dbdsl: ${errorMessage(error)}`);
  }
}

async function pickDialect(): Promise<Dialect | undefined> {
  const configured = vscode.workspace.getConfiguration('dbdsl').get<unknown>('dialect');
  const ordered = isDialect(configured) ? [configured, ...DIALECTS.filter((d) => d !== configured)] : [...DIALECTS];
  const items = ordered.map((dialect) => ({
    label: dialect,
    description: DIALECT_NAMES[dialect] + (dialect === configured ? ' (dbdsl.dialect setting)' : ''),
    dialect,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Export SQL', placeHolder: 'SQL dialect' });
  return picked?.dialect;
}

export async function exportSql(controller: ServerController, argument: unknown): Promise<void> {
  const document = await targetDocument(argument);
  if (document === undefined) return;
  const dialect = await pickDialect();
  if (dialect === undefined) return;
  await requestFile(controller, {
    serverCommand: SERVER_COMMANDS.exportSql,
    argument: { uri: document.uri.toString(), dialect },
    progressTitle: `dbdsl: exporting ${DIALECT_NAMES[dialect]} SQL…`,
    nothingCreated: 'dbdsl: the server created no SQL file.',
  });
}

export async function generateMigration(controller: ServerController, argument: unknown): Promise<void> {
  const document = await targetDocument(argument);
  if (document === undefined) return;
  await requestFile(controller, {
    serverCommand: SERVER_COMMANDS.generateMigration,
    argument: { uri: document.uri.toString() },
    progressTitle: 'dbdsl: generating the next migration…',
    nothingCreated: 'dbdsl: no migration was created.',
  });
}

export async function generateDocument(controller: ServerController, argument: unknown): Promise<void> {
  const document = await targetDocument(argument);
  if (document === undefined) return;
  await requestFile(controller, {
    serverCommand: SERVER_COMMANDS.generateDocument,
    argument: { uri: document.uri.toString() },
    progressTitle: 'dbdsl: writing the design document…',
    nothingCreated: 'dbdsl: the server created no design document.',
  });
}
