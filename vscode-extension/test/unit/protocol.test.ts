import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCreatedFile, parseErdReply, SERVER_COMMANDS } from '../../src/protocol';

describe('server protocol', () => {
  test('server command ids live under dbdsl.server.', () => {
    for (const id of Object.values(SERVER_COMMANDS)) assert.match(id, /^dbdsl\.server\.[A-Za-z]+$/);
  });

  test('a created-file reply needs a non-empty uri', () => {
    assert.equal(isCreatedFile({ uri: 'file:///work/shop/schema.sql' }), true);
    assert.equal(isCreatedFile({ uri: '' }), false);
    assert.equal(isCreatedFile(null), false);
    assert.equal(isCreatedFile('file:///x'), false);
  });

  test('ERD replies: svg, text with message, and malformed ones', () => {
    assert.deepEqual(parseErdReply({ format: 'svg', content: '<svg/>' }), { format: 'svg', content: '<svg/>' });
    assert.deepEqual(parseErdReply({ format: 'txt', content: '[users]', message: 'Graphviz is not installed' }), {
      format: 'txt',
      content: '[users]',
      message: 'Graphviz is not installed',
    });
    assert.equal(parseErdReply({ format: 'png', content: '' }), undefined);
    assert.equal(parseErdReply({ format: 'svg' }), undefined);
    assert.equal(parseErdReply(null), undefined);
  });
});
