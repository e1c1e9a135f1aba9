// `dbdsl.showReferences`: the command of the server's "N references" code lenses. Its arguments are LSP
// JSON (`[uri, position, locations]`); the language client's protocol converter turns them into VS Code
// types for the built-in references peek.
import * as vscode from 'vscode';
import type { Protocol2CodeConverter } from 'vscode-languageclient/node';
import { parseShowReferences } from '../protocol';

export async function showReferences(converter: Protocol2CodeConverter | undefined, args: unknown[]): Promise<void> {
  const parsed = parseShowReferences(args);
  if (parsed === undefined) {
    void vscode.window.showErrorMessage('dbdsl: showReferences takes a document uri, a position and a list of locations.');
    return;
  }
  if (converter === undefined) {
    void vscode.window.showErrorMessage('dbdsl: the language server is not running.');
    return;
  }
  await vscode.commands.executeCommand(
    'editor.action.showReferences',
    converter.asUri(parsed.uri),
    converter.asPosition(parsed.position),
    parsed.locations.map((location) => converter.asLocation(location)),
  );
}
