import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCreatedFile, parseDriftReply, parseErdReply, parseShowReferences, SERVER_COMMANDS } from '../../src/protocol';

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

  test('drift replies: steps and SQL, an error, and malformed ones', () => {
    const reply = { database: 'sqlite:///shop.db', dialect: 'sqlite', steps: ['drop column customers.fax'], sql: 'ALTER TABLE' };
    assert.deepEqual(parseDriftReply(reply), { database: 'sqlite:///shop.db', steps: ['drop column customers.fax'], sql: 'ALTER TABLE' });
    assert.deepEqual(parseDriftReply({ error: 'cannot connect' }), { error: 'cannot connect' });
    assert.equal(parseDriftReply({ database: 'x', steps: [1], sql: '' }), undefined);
    assert.equal(parseDriftReply(null), undefined);
  });

  test('showReferences arguments: the code lens command of the server', () => {
    const location = {
      uri: 'file:///work/shop/schema.dbml',
      range: { start: { line: 12, character: 24 }, end: { line: 12, character: 29 } },
    };
    const args = ['file:///work/shop/schema.dbml', { line: 3, character: 6 }, [location]];
    assert.deepEqual(parseShowReferences(args), {
      uri: 'file:///work/shop/schema.dbml',
      position: { line: 3, character: 6 },
      locations: [location],
    });
    assert.deepEqual(parseShowReferences(['file:///a.dbml', { line: 0, character: 0 }, []])?.locations, []);
  });

  test('malformed showReferences arguments are refused', () => {
    const position = { line: 3, character: 6 };
    const range = { start: position, end: position };
    assert.equal(parseShowReferences([]), undefined);
    assert.equal(parseShowReferences([{ uri: 'file:///a.dbml', position, locations: [] }]), undefined);
    assert.equal(parseShowReferences(['', position, []]), undefined);
    assert.equal(parseShowReferences(['file:///a.dbml', { line: -1, character: 0 }, []]), undefined);
    assert.equal(parseShowReferences(['file:///a.dbml', { line: 1.5, character: 0 }, []]), undefined);
    assert.equal(parseShowReferences(['file:///a.dbml', position, {}]), undefined);
    assert.equal(parseShowReferences(['file:///a.dbml', position, [{ uri: 'file:///a.dbml' }]]), undefined);
    assert.equal(parseShowReferences(['file:///a.dbml', position, [{ uri: 'file:///a.dbml', range: { start: position } }]]), undefined);
    assert.equal(parseShowReferences(['file:///a.dbml', position, [{ uri: 'file:///a.dbml', range }], 'extra']), undefined);
  });
});
