import * as fs from 'node:fs';
import * as path from 'node:path';

import { SECRET_ENV_KEYS } from '@sensorhub/domain';

import { CONFIG_KEYS as API_KEYS } from '../../apps/api/src/config/api.config';
import { INGEST_CONFIG_KEYS } from '../../apps/ingest/src/config/ingest.config';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Keys only `npm start` reads (scripts/start.ts reads them from its environment, not through a validator). */
const START_KEYS = [
  'DATA_DIR',
  'PG_PORT',
  'MQTT_PORT',
  'MQTT_HOST',
  'ADMIN_EMAIL',
  'SIMULATE',
  'SIMULATE_DEVICES',
  'SIMULATE_INTERVAL_MS',
];

/** The keys of the reference tables: each row's first cell, one or more `KEY`s. */
function documentedKeys(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((l) => /^\| `[A-Z]/.test(l))
    .flatMap((l) => [...l.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]));
}

// The configuration reference an operator reads (docs/configuration.md) and the file they copy (.env.example) name
// every key the apps' validators, the secrets and npm start read, and nothing they do not.
describe('configuration reference', () => {
  const validated = [...new Set([...API_KEYS, ...INGEST_CONFIG_KEYS])].sort();
  const all = [...new Set([...validated, ...SECRET_ENV_KEYS, 'CREDENTIALS_DIRECTORY', ...START_KEYS])].sort();

  it('docs/configuration.md has one row for every key read, and none for a key nobody reads', () => {
    const documented = documentedKeys(read('docs/configuration.md'));
    expect(all.filter((k) => !documented.includes(k))).toEqual([]);
    expect(documented.filter((k) => !all.includes(k))).toEqual([]);
    expect(documented.length).toBe(new Set(documented).size); // each key once
  });

  it('.env.example has a line for every key the validators and npm start read', () => {
    const lines = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect([...validated, ...START_KEYS].filter((k) => !lines.has(k))).toEqual([]);
  });

  it('npm start still reads the keys listed as its own', () => {
    const start = read('scripts/start.ts');
    expect(START_KEYS.filter((k) => !start.includes(k))).toEqual([]);
  });
});
