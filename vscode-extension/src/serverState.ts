// The server's lifecycle as the user sees it, and how the status bar item presents each state.

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

export interface StatusPresentation {
  text: string;
  tooltip: string;
  /** Command run when the item is clicked. */
  command: 'dbdsl.restartServer' | 'dbdsl.showOutput';
  isError: boolean;
}

export function statusPresentation(state: ServerState): StatusPresentation {
  switch (state) {
    case 'starting':
      return {
        text: '$(sync~spin) dbdsl',
        tooltip: 'dbdsl server: starting. Click to show its output.',
        command: 'dbdsl.showOutput',
        isError: false,
      };
    case 'running':
      return {
        text: '$(database) dbdsl',
        tooltip: 'dbdsl server: running. Click to show its output.',
        command: 'dbdsl.showOutput',
        isError: false,
      };
    case 'stopped':
      return {
        text: '$(circle-slash) dbdsl',
        tooltip: 'dbdsl server: stopped. Click to restart it.',
        command: 'dbdsl.restartServer',
        isError: false,
      };
    case 'failed':
      return {
        text: '$(error) dbdsl',
        tooltip: 'dbdsl server: failed. Click to restart it; the output channel says why it failed.',
        command: 'dbdsl.restartServer',
        isError: true,
      };
  }
}
