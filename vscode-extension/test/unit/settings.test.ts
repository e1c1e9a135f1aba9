import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readLaunchSettings, readServerSettings, type ConfigurationReader } from '../../src/settings';

function config(values: Record<string, unknown>): ConfigurationReader {
  return { get: (section: string) => values[section] };
}

describe('readServerSettings', () => {
  test('defaults give the documented initializationOptions shape', () => {
    assert.deepEqual(readServerSettings(config({})), {
      dialect: '',
      lint: { select: [], ignore: [] },
      hover: { images: true },
      migrations: { directory: 'migrations', showDrops: false },
      database: { url: '' },
    });
  });

  test('carries every configured value', () => {
    const settings = readServerSettings(
      config({
        dialect: 'mysql',
        'lint.select': ['N', 'I101'],
        'lint.ignore': ['S'],
        'hover.images': false,
        'migrations.directory': 'db/migrations',
        'migrations.showDrops': true,
        'database.url': ' sqlite:///shop.db ',
      }),
    );
    assert.deepEqual(settings, {
      dialect: 'mysql',
      lint: { select: ['N', 'I101'], ignore: ['S'] },
      hover: { images: false },
      migrations: { directory: 'db/migrations', showDrops: true },
      database: { url: 'sqlite:///shop.db' },
    });
  });

  test('drops values of the wrong type instead of sending them on', () => {
    const settings = readServerSettings(
      config({ dialect: 'postgresql', 'lint.select': ['N', 3, null], 'hover.images': 'yes', 'migrations.directory': '  ' }),
    );
    assert.equal(settings.dialect, '');
    assert.deepEqual(settings.lint.select, ['N']);
    assert.equal(settings.hover.images, true);
    assert.equal(settings.migrations.directory, 'migrations');
  });
});

describe('readLaunchSettings', () => {
  test('trims paths and treats a missing value as empty', () => {
    assert.deepEqual(readLaunchSettings(config({ 'server.path': ' /opt/dbdsl/bin/dbdsl ' })), {
      serverPath: '/opt/dbdsl/bin/dbdsl',
      pythonInterpreter: '',
      importStrategy: 'useBundled',
    });
  });

  test('the bundled server unless fromEnvironment is chosen', () => {
    assert.equal(readLaunchSettings(config({ importStrategy: 'fromEnvironment' })).importStrategy, 'fromEnvironment');
    assert.equal(readLaunchSettings(config({ importStrategy: 'nonsense' })).importStrategy, 'useBundled');
  });
});
