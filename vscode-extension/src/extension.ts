// Entry point: wires the server controller, the status bar item, the ERD panels and the palette commands.
import * as vscode from 'vscode';
import { exportSql, generateDocument, generateMigration } from './commands/generateFiles';
import { showDrift } from './commands/showDrift';
import { showReferences } from './commands/showReferences';
import { targetDocument } from './commands/targetDocument';
import { ErdPanels } from './erd/erdPanels';
import { nodeLaunchProbes } from './probes';
import { ServerController } from './serverController';
import { LAUNCH_SETTING_KEYS } from './settings';
import { ServerStatusItem } from './statusBar';

let controller: ServerController | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('dbdsl');
  const server = new ServerController(output, nodeLaunchProbes(), context.extensionPath);
  controller = server;
  const erdPanels = new ErdPanels(server);

  context.subscriptions.push(
    output,
    server,
    new ServerStatusItem(server.currentState, server.onDidChangeState),
    erdPanels,
    vscode.commands.registerCommand('dbdsl.exportSql', (argument: unknown) => exportSql(server, argument)),
    vscode.commands.registerCommand('dbdsl.generateMigration', (argument: unknown) => generateMigration(server, argument)),
    vscode.commands.registerCommand('dbdsl.generateDocument', (argument: unknown) => generateDocument(server, argument)),
    vscode.commands.registerCommand('dbdsl.showErd', async (argument: unknown) => {
      const document = await targetDocument(argument);
      if (document !== undefined) await erdPanels.show(document.uri);
    }),
    vscode.commands.registerCommand('dbdsl.showReferences', (...args: unknown[]) =>
      showReferences(server.protocolConverter, args),
    ),
    vscode.commands.registerCommand('dbdsl.showDrift', (argument: unknown) => showDrift(server, argument)),
    vscode.commands.registerCommand('dbdsl.restartServer', () => server.restart()),
    vscode.commands.registerCommand('dbdsl.showOutput', () => {
      server.showOutput();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (LAUNCH_SETTING_KEYS.some((key) => event.affectsConfiguration(key))) void server.restart();
    }),
  );

  void server.start();
}

export function deactivate(): Promise<void> | undefined {
  const server = controller;
  controller = undefined;
  return server?.stop();
}
