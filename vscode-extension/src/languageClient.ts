// Builds the vscode-languageclient client for a resolved server launch.
import * as vscode from 'vscode';
import {
  CloseAction,
  LanguageClient,
  RevealOutputChannelOn,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { ServerLaunch } from './serverLaunch';
import { readServerSettings } from './settings';

const MAX_RESTARTS = 4;

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'dbml' },
  { scheme: 'untitled', language: 'dbml' },
];

const WATCHED_FILES = ['**/*.dbml', '**/*.dbdsl', '**/dbdsl.toml', '**/pyproject.toml'];

/**
 * The library's default error handler (restart a crashed server a few times), reporting when it gives up
 * so the status bar can say "failed" rather than "stopped".
 */
class GiveUpReportingErrorHandler implements ErrorHandler {
  delegate: ErrorHandler | undefined;

  constructor(private readonly onGiveUp: () => void) {}

  error(error: Error, message: Message | undefined, count: number | undefined): ErrorHandlerResult | Promise<ErrorHandlerResult> {
    if (this.delegate === undefined) throw error;
    return this.delegate.error(error, message, count);
  }

  async closed(): Promise<CloseHandlerResult> {
    if (this.delegate === undefined) {
      this.onGiveUp();
      return { action: CloseAction.DoNotRestart };
    }
    const result = await this.delegate.closed();
    if (result.action === CloseAction.DoNotRestart) this.onGiveUp();
    return result;
  }
}

export function createLanguageClient(
  launch: ServerLaunch,
  outputChannel: vscode.OutputChannel,
  onGiveUp: () => void,
): { client: LanguageClient; watchers: vscode.Disposable[] } {
  // No `transport` here: for executables the library would append `--stdio` to the arguments.
  const serverOptions: ServerOptions = { command: launch.command, args: launch.args };
  const watchers = WATCHED_FILES.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  const errorHandler = new GiveUpReportingErrorHandler(onGiveUp);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: readServerSettings(vscode.workspace.getConfiguration('dbdsl')),
    synchronize: {
      // The server's contract: settings changes are pushed with workspace/didChangeConfiguration.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      configurationSection: 'dbdsl',
      fileEvents: watchers,
    },
    outputChannel,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler,
  };
  const client = new LanguageClient('dbdsl', 'dbdsl', serverOptions, clientOptions);
  errorHandler.delegate = client.createDefaultErrorHandler(MAX_RESTARTS);
  return { client, watchers };
}
