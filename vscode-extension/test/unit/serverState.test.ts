import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { statusPresentation, type ServerState } from '../../src/serverState';

describe('status bar presentation', () => {
  test('each state says what clicking does', () => {
    const expected: Record<ServerState, string> = {
      starting: 'dbdsl.showOutput',
      running: 'dbdsl.showOutput',
      stopped: 'dbdsl.restartServer',
      failed: 'dbdsl.restartServer',
    };
    for (const [state, command] of Object.entries(expected) as [ServerState, string][]) {
      const presentation = statusPresentation(state);
      assert.equal(presentation.command, command, state);
      assert.match(presentation.tooltip, new RegExp(`dbdsl server: ${state}`));
      assert.equal(presentation.isError, state === 'failed');
    }
  });
});
