// The package.json manifest against the source: commands, menus, settings, language and grammars.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const source = sourceFiles(path.join(root, 'src'))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');
const registered = [...source.matchAll(/registerCommand\(\s*['"]([^'"]+)['"]/g)].map((match) => match[1]);
const contributed = contributes.commands.map((command) => command.command);

describe('commands', () => {
  test('every contributed command has a handler registered in the source', () => {
    for (const id of contributed) assert.ok(registered.includes(id), `no registerCommand('${id}' in src/`);
  });

  test('every registered command is contributed', () => {
    for (const id of registered) assert.ok(contributed.includes(id), `${id} is registered but not in contributes.commands`);
  });

  test('no command is registered twice', () => {
    assert.equal(new Set(registered).size, registered.length);
  });

  test('the palette commands are there, in category dbdsl, with their titles', () => {
    const titles = Object.fromEntries(contributes.commands.map((c) => [c.command, c.title]));
    assert.deepEqual(
      {
        'dbdsl.exportSql': titles['dbdsl.exportSql'],
        'dbdsl.generateMigration': titles['dbdsl.generateMigration'],
        'dbdsl.generateDocument': titles['dbdsl.generateDocument'],
        'dbdsl.showErd': titles['dbdsl.showErd'],
        'dbdsl.restartServer': titles['dbdsl.restartServer'],
      },
      {
        'dbdsl.exportSql': 'Export SQL...',
        'dbdsl.generateMigration': 'Generate migration',
        'dbdsl.generateDocument': 'Generate design document',
        'dbdsl.showErd': 'Show ERD',
        'dbdsl.restartServer': 'Restart server',
      },
    );
    for (const command of contributes.commands) assert.equal(command.category, 'dbdsl', command.command);
  });

  test('palette ids never collide with the server commands the client registers by itself', () => {
    for (const id of contributed) assert.doesNotMatch(id, /^dbdsl\.server\./);
    const serverIds = [...source.matchAll(/'(dbdsl\.server\.[A-Za-z]+)'/g)].map((m) => m[1]).filter((id) => !id.endsWith('.path'));
    assert.deepEqual(serverIds.sort(), [
      'dbdsl.server.exportSql',
      'dbdsl.server.generateDocument',
      'dbdsl.server.generateMigration',
      'dbdsl.server.renderErd',
      'dbdsl.server.showDrift',
    ]);
  });

  test('dbdsl.showReferences (run by code lenses, with arguments) is hidden from the palette', () => {
    assert.ok(contributed.includes('dbdsl.showReferences'));
    const entry = contributes.menus.commandPalette.find((item) => item.command === 'dbdsl.showReferences');
    assert.equal(entry?.when, 'false');
  });

  test('menus only name contributed commands', () => {
    for (const [menu, items] of Object.entries(contributes.menus)) {
      for (const item of items) assert.ok(contributed.includes(item.command), `${menu} names ${item.command}`);
    }
  });
});

describe('settings', () => {
  const properties = contributes.configuration.properties;

  test('the documented settings with their types and defaults', () => {
    const expected = {
      'dbdsl.server.path': ['string', ''],
      'dbdsl.python.interpreter': ['string', ''],
      'dbdsl.importStrategy': ['string', 'useBundled'],
      'dbdsl.dialect': ['string', ''],
      'dbdsl.lint.select': ['array', []],
      'dbdsl.lint.ignore': ['array', []],
      'dbdsl.hover.images': ['boolean', true],
      'dbdsl.migrations.directory': ['string', 'migrations'],
      'dbdsl.migrations.showDrops': ['boolean', false],
      'dbdsl.database.url': ['string', ''],
      'dbdsl.trace.server': ['string', 'off'],
    };
    assert.deepEqual(Object.keys(properties).sort(), Object.keys(expected).sort());
    for (const [key, [type, defaultValue]] of Object.entries(expected)) {
      assert.equal(properties[key].type, type, key);
      assert.deepEqual(properties[key].default, defaultValue, key);
      assert.ok(properties[key].markdownDescription || properties[key].description, `${key} has no description`);
    }
  });

  test('dialect and trace enums', () => {
    assert.deepEqual(properties['dbdsl.dialect'].enum, ['', 'postgres', 'mysql', 'sqlite', 'mssql', 'oracle', 'snowflake']);
    assert.equal(properties['dbdsl.dialect'].enum.length, properties['dbdsl.dialect'].enumDescriptions.length);
    assert.deepEqual(properties['dbdsl.trace.server'].enum, ['off', 'messages', 'verbose']);
  });

  test('the source dialect list matches the setting', () => {
    const match = /DIALECTS = \[([^\]]+)\]/.exec(source);
    assert.ok(match, 'DIALECTS not found in src/settings.ts');
    const dialects = [...match[1].matchAll(/'([a-z]+)'/g)].map((m) => m[1]);
    assert.deepEqual(['', ...dialects], properties['dbdsl.dialect'].enum);
  });
});

describe('language and grammars', () => {
  test('the dbml language', () => {
    const [language] = contributes.languages;
    assert.equal(language.id, 'dbml');
    assert.deepEqual(language.extensions, ['.dbml', '.dbdsl']);
    assert.deepEqual(language.aliases, ['DBML', 'dbdsl']);
    assert.ok(existsSync(path.join(root, language.configuration)));
    assert.ok(manifest.activationEvents.includes('onLanguage:dbml'));
  });

  test('every grammar file exists and declares the contributed scope', () => {
    for (const grammar of contributes.grammars) {
      const file = JSON.parse(readFileSync(path.join(root, grammar.path), 'utf8'));
      assert.equal(file.scopeName, grammar.scopeName, grammar.path);
    }
    const dbml = contributes.grammars.find((g) => g.language === 'dbml');
    assert.equal(dbml?.scopeName, 'source.dbml');
  });

  test('the language configuration', () => {
    const configuration = JSON.parse(readFileSync(path.join(root, 'language-configuration.json'), 'utf8'));
    assert.equal(configuration.comments.lineComment, '//');
    assert.deepEqual(configuration.comments.blockComment, ['/*', '*/']);
    assert.deepEqual(configuration.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
    const closing = configuration.autoClosingPairs.map((pair) => pair.open);
    for (const open of ['{', '[', '(', "'", '"', '`']) assert.ok(closing.includes(open), `no auto-closing pair for ${open}`);
    const word = new RegExp(configuration.wordPattern.pattern, `g${configuration.wordPattern.flags}`);
    assert.deepEqual('zip_code2 order_items'.match(word), ['zip_code2', 'order_items']);
    assert.ok(new RegExp(configuration.folding.markers.start).test('// #region tables'));
  });
});

describe('package', () => {
  test('publishing fields', () => {
    assert.equal(manifest.publisher, 'dbdsl');
    assert.equal(manifest.license, 'MIT');
    assert.ok(manifest.repository?.url);
    assert.match(manifest.engines.vscode, /^\^1\.\d+\.\d+$/);
    assert.equal(manifest.main, './dist/extension.js');
    assert.match(manifest.dependencies['vscode-languageclient'], /^\^9\./);
    assert.ok(existsSync(path.join(root, 'LICENSE')));
  });
});
