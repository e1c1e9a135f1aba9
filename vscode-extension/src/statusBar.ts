// A status bar item that follows the server's state; clicking it restarts a stopped or failed server,
// or shows the output channel of a running one.
import * as vscode from 'vscode';
import type { ServerState } from './serverState';
import { statusPresentation } from './serverState';

export class ServerStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(initialState: ServerState, onDidChangeState: vscode.Event<ServerState>) {
    this.item = vscode.window.createStatusBarItem('dbdsl.serverStatus', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'dbdsl server';
    this.show(initialState);
    this.subscription = onDidChangeState((state) => {
      this.show(state);
    });
    this.item.show();
  }

  private show(state: ServerState): void {
    const presentation = statusPresentation(state);
    this.item.text = presentation.text;
    this.item.tooltip = presentation.tooltip;
    this.item.command = presentation.command;
    this.item.backgroundColor = presentation.isError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
