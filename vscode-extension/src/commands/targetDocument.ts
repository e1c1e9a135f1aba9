// Finds the .dbml document a command works on: the file clicked in the explorer, else the active editor.
import * as vscode from 'vscode';

export async function targetDocument(argument: unknown): Promise<vscode.TextDocument | undefined> {
  if (argument instanceof vscode.Uri) {
    // Opening it makes the client send didOpen, so the server works on what the editor has.
    return vscode.workspace.openTextDocument(argument);
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'dbml') return active;
  void vscode.window.showWarningMessage('dbdsl: open a .dbml file first.');
  return undefined;
}
