import * as fs from 'node:fs';
import * as path from 'node:path';

import { CatalogError, MetricCatalog } from './metric-catalog';

describe(MetricCatalog.name, () => {
  it('reads the shipped config/metrics.yaml with units and physical bounds', () => {
    const c = MetricCatalog.load(path.resolve(__dirname, '../../../../config/metrics.yaml'));
    expect(c.get('temperature')).toEqual({
      name: 'temperature',
      displayName: 'Temperature',
      unit: '°C',
      decimals: 1,
      min: -80,
      max: 150,
    });
    expect(c.get('humidity')).toMatchObject({ min: 0, max: 100, unit: '%' });
    expect(c.get('heart_rate')).toMatchObject({ min: 20, max: 250, unit: 'bpm' });
  });

  it.each([
    ['metrics:\n  temperature:\n    min: cold\n', 3, 'temperature.min must be a number'],
    ['metrics:\n  t: {}\n  Temp: {}\n', 3, 'metric "Temp" must be 1-64 of [a-z0-9_]'],
    ['metrics:\n  t:\n    colour: red\n', 3, 't: unknown setting "colour"'],
    ['metrics:\n  t:\n    min: 5\n    max: 1\n', 2, 't: min 5 is above max 1'],
    ['metrics:\n  t:\n    decimals: 9\n', 3, 't.decimals must be a whole number from 0 to 6'],
    ['metrics:\n  t: {}\n  t: {}\n', 3, 'Map keys must be unique'],
    ['sensors: {}\n', 1, 'unknown key "sensors"'],
    ['metrics:\n  t: [1\n', 3, 'Flow sequence'],
  ])('refuses a bad entry, naming its line: %p', (text, line, message) => {
    expect(() => MetricCatalog.parse(text, 'metrics.yaml')).toThrow(CatalogError);
    expect(() => MetricCatalog.parse(text, 'metrics.yaml')).toThrow(`metrics.yaml line ${line}: ${message}`);
  });

  it('says which file could not be read', () => {
    expect(() => MetricCatalog.load('/nonexistent/metrics.yaml')).toThrow(
      '/nonexistent/metrics.yaml: cannot be read (ENOENT)',
    );
  });

  it('serves every metric as the API returns it', () => {
    const c = MetricCatalog.parse('metrics:\n  a: { unit: V }\n  b:\n');
    expect(JSON.parse(JSON.stringify(c))).toEqual({ metrics: [{ name: 'a', unit: 'V' }, { name: 'b' }] });
    expect(fs.existsSync(path.resolve(__dirname, '../../../../config/metrics.yaml'))).toBe(true);
  });
});
