// "Show ERD": one webview panel per .dbml document, showing the diagram the server renders, and
// rendered again whenever that document is saved.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseErdReply, SERVER_COMMANDS, type RenderErdArgument } from '../protocol';
import { errorMessage, type ServerController } from '../serverController';
import { renderErdPage, type ErdContent } from './erdHtml';

export class ErdPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly onSave: vscode.Disposable;

  constructor(private readonly controller: ServerController) {
    this.onSave = vscode.workspace.onDidSaveTextDocument((document) => {
      const panel = this.panels.get(document.uri.toString());
      if (panel !== undefined) void this.render(document.uri, panel);
    });
  }

  async show(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    let panel = this.panels.get(key);
    if (panel === undefined) {
      panel = vscode.window.createWebviewPanel('dbdsl.erd', `ERD: ${path.basename(uri.path)}`, vscode.ViewColumn.Beside, {
        enableScripts: false,
        localResourceRoots: [],
      });
      this.panels.set(key, panel);
      panel.onDidDispose(() => this.panels.delete(key));
    } else {
      panel.reveal(undefined, true);
    }
    await this.render(uri, panel);
  }

  private async render(uri: vscode.Uri, panel: vscode.WebviewPanel): Promise<void> {
    this.paint(panel, uri, { kind: 'loading' });
    const argument: RenderErdArgument = { uri: uri.toString(), format: 'svg', write: false };
    let content: ErdContent;
    try {
      const reply = parseErdReply(await this.controller.executeCommand(SERVER_COMMANDS.renderErd, argument));
      if (reply === undefined) {
        content = { kind: 'error', message: 'The server sent no diagram for this file.' };
      } else if (reply.format === 'svg') {
        content = reply.message === undefined ? { kind: 'svg', svg: reply.content } : { kind: 'svg', svg: reply.content, message: reply.message };
      } else {
        content = reply.message === undefined ? { kind: 'text', text: reply.content } : { kind: 'text', text: reply.content, message: reply.message };
      }
    } catch (error) {
      content = { kind: 'error', message: errorMessage(error) };
    }
    if (this.panels.get(uri.toString()) === panel) this.paint(panel, uri, content);
  }

  private paint(panel: vscode.WebviewPanel, uri: vscode.Uri, content: ErdContent): void {
    panel.webview.html = renderErdPage({
      title: `ERD of ${path.basename(uri.path)}`,
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      content,
    });
  }

  dispose(): void {
    this.onSave.dispose();
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
