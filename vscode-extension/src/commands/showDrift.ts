// `dbdsl: Show drift`: the steps and the migration from the `dbdsl.database.url` database to the document,
// opened as an untitled SQL document.
import * as vscode from 'vscode';
import { parseDriftReply, SERVER_COMMANDS } from '../protocol';
import { errorMessage, type ServerController } from '../serverController';
import { targetDocument } from './targetDocument';

export async function showDrift(controller: ServerController, argument: unknown): Promise<void> {
  const document = await targetDocument(argument);
  if (document === undefined) return;
  try {
    const reply = parseDriftReply(
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Comparing with the database' },
        () => controller.executeCommand(SERVER_COMMANDS.showDrift, { uri: document.uri.toString() }),
      ),
    );
    if (reply === undefined) {
      void vscode.window.showErrorMessage("dbdsl: the server's reply to Show drift is not a drift report.");
    } else if ('error' in reply) {
      void vscode.window.showErrorMessage(`dbdsl: ${reply.error}`);
    } else if (reply.steps.length === 0) {
      void vscode.window.showInformationMessage(`dbdsl: no drift between ${reply.database} and this file.`);
    } else {
      const steps = reply.steps.map((step, i) => `-- ${i + 1}. ${step}`).join('\n');
      const content = `-- Drift from ${reply.database} to ${document.uri.fsPath}\n${steps}\n\n${reply.sql}`;
      const opened = await vscode.workspace.openTextDocument({ language: 'sql', content });
      await vscode.window.showTextDocument(opened, { preview: false });
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`dbdsl: ${errorMessage(error)}`);
  }
}
