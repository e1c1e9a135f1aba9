// Owns the language client: resolves the launch, starts, stops and restarts the server, and reports
// its state. Start, stop and restart run one after another, never interleaved.
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, State, type LanguageClient, type Protocol2CodeConverter } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import { resolveServerLaunch, type LaunchProbes, type LaunchProblem, type PathContext } from './serverLaunch';
import type { ServerState } from './serverState';
import { readLaunchSettings } from './settings';

const STOP_TIMEOUT_MS = 3000;

export class ServerNotRunningError extends Error {
  constructor(state: ServerState) {
    super(`The dbdsl server is ${state === 'failed' ? 'not running: it failed to start' : state}.`);
    this.name = 'ServerNotRunningError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function pathContext(extensionPath: string): PathContext {
  const bundled = path.join(extensionPath, 'bundled', 'tool', 'server.py');
  return {
    homeDir: os.homedir(),
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    platform: process.platform,
    bundledServer: existsSync(bundled) ? bundled : undefined,
  };
}

export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private watchers: vscode.Disposable[] = [];
  private state: ServerState = 'stopped';
  private failed = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly stateChanged = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    private readonly output: vscode.OutputChannel,
    private readonly probes: LaunchProbes,
    /** The extension's folder, where the bundled server is (bundled/tool/server.py). */
    private readonly extensionPath: string,
  ) {}

  get currentState(): ServerState {
    return this.state;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.startNow());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopNow());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopNow();
      await this.startNow();
    });
  }

  /** Sends `workspace/executeCommand` with the single object argument the server expects. */
  async executeCommand(command: string, argument: object): Promise<unknown> {
    await this.queue;
    const client = this.client;
    if (client === undefined || this.state !== 'running') throw new ServerNotRunningError(this.state);
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] });
  }

  /** The client's converter from LSP JSON to VS Code types (undefined before the first start). */
  get protocolConverter(): Protocol2CodeConverter | undefined {
    return this.client?.protocol2CodeConverter;
  }

  showOutput(): void {
    this.output.show(true);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task);
    return this.queue;
  }

  private setState(state: ServerState): void {
    if (state === this.state) return;
    this.state = state;
    this.stateChanged.fire(state);
  }

  private async startNow(): Promise<void> {
    if (this.client !== undefined) return;
    this.failed = false;
    this.setState('starting');

    const settings = readLaunchSettings(vscode.workspace.getConfiguration('dbdsl'));
    const resolution = await resolveServerLaunch(settings, this.probes, pathContext(this.extensionPath));
    if (!resolution.ok) {
      this.fail(resolution.problem);
      return;
    }

    this.output.appendLine(`Starting the dbdsl server: ${resolution.launch.description}`);
    const { client, watchers } = createLanguageClient(resolution.launch, this.output, () => {
      this.failed = true;
      this.setState('failed');
    });
    this.client = client;
    this.watchers = watchers;
    client.onDidChangeState((event) => {
      if (client === this.client) this.followClientState(event.newState);
    });

    try {
      await client.start();
    } catch (error) {
      // vscode-languageclient has already told the user, with a button to the output channel.
      this.output.appendLine(`The dbdsl server (${resolution.launch.description}) failed to start: ${errorMessage(error)}`);
      await this.disposeClient();
      this.failed = true;
      this.setState('failed');
    }
  }

  private followClientState(state: State): void {
    if (state === State.Starting) this.setState('starting');
    else if (state === State.Running) this.setState('running');
    else this.setState(this.failed ? 'failed' : 'stopped');
  }

  private fail(problem: LaunchProblem): void {
    this.failed = true;
    this.output.appendLine(problem.message);
    this.setState('failed');
    void vscode.window.showErrorMessage(problem.message, 'Open Settings', 'Show Output').then((choice) => {
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', problem.setting);
      else if (choice === 'Show Output') this.showOutput();
    });
  }

  private async stopNow(): Promise<void> {
    if (this.client === undefined) {
      this.setState(this.failed ? 'failed' : 'stopped');
      return;
    }
    this.failed = false;
    await this.disposeClient();
    this.setState('stopped');
  }

  private async disposeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = [];
    if (client === undefined) return;
    try {
      await client.dispose(STOP_TIMEOUT_MS);
    } catch (error) {
      this.output.appendLine(`Stopping the dbdsl server: ${errorMessage(error)}`);
    }
  }

  dispose(): void {
    void this.stop();
    this.stateChanged.dispose();
  }
}
