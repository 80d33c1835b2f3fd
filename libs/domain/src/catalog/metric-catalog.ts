import * as fs from 'node:fs';
import * as path from 'node:path';

import { isMap, isScalar, LineCounter, parseDocument, YAMLMap } from 'yaml';

import { METRIC_PATTERN, MetricInfo } from '@sensorhub/contracts';

/** A bad catalog file: the message names the file and the line. */
export class CatalogError extends Error {}

const FIELDS = new Set(['display_name', 'unit', 'decimals', 'min', 'max']);

/**
 * What each metric means and what is physically possible. Readings outside a metric's bounds are dead letters
 * (OUT_OF_RANGE); with `requireKnown`, so are readings of metrics the catalog does not list.
 */
export class MetricCatalog {
  private readonly byName: Map<string, MetricInfo>;

  constructor(
    metrics: MetricInfo[] = [],
    /** where it was read from, for messages */
    readonly source = '(none)',
  ) {
    this.byName = new Map(metrics.map((m) => [m.name, m]));
  }

  static readonly empty = new MetricCatalog();

  get(name: string): MetricInfo | undefined {
    return this.byName.get(name);
  }

  get size(): number {
    return this.byName.size;
  }

  toJSON(): { metrics: MetricInfo[] } {
    return { metrics: [...this.byName.values()] };
  }

  /** Reads and validates a catalog file; throws a CatalogError naming the line of the first bad entry. */
  static load(file: string): MetricCatalog {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new CatalogError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    return MetricCatalog.parse(text, file);
  }

  static parse(text: string, file = 'metrics.yaml'): MetricCatalog {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
    const lineOf = (node: { range?: [number, number, number] | null } | null | undefined) =>
      node?.range ? lines.linePos(node.range[0]).line : 1;
    const fail = (node: Parameters<typeof lineOf>[0], message: string): never => {
      throw new CatalogError(`${file} line ${lineOf(node)}: ${message}`);
    };
    if (doc.errors.length) {
      const e = doc.errors[0];
      throw new CatalogError(`${file} line ${e.linePos?.[0].line ?? 1}: ${e.message.split('\n')[0]}`);
    }
    const root = doc.contents;
    if (root === null || root === undefined) return new MetricCatalog([], file);
    if (!isMap(root)) fail(root, 'expected "metrics:" with one entry per metric');
    const top = root as YAMLMap;
    const metricsNode = top.get('metrics', true);
    for (const item of top.items) {
      const key = isScalar(item.key) ? item.key.value : item.key;
      if (key !== 'metrics') fail(item.key as never, `unknown key "${String(key)}" (expected "metrics")`);
    }
    if (metricsNode === undefined || metricsNode === null) return new MetricCatalog([], file);
    if (!isMap(metricsNode)) fail(metricsNode as never, '"metrics" must map metric names to their settings');
    const metrics: MetricInfo[] = [];
    for (const item of (metricsNode as unknown as YAMLMap).items) {
      const name = isScalar(item.key) ? String(item.key.value) : '';
      if (!METRIC_PATTERN.test(name)) fail(item.key as never, `metric "${name}" must be 1-64 of [a-z0-9_]`);
      const info: MetricInfo = { name };
      const value = item.value;
      if (value !== null && value !== undefined && !(isScalar(value) && value.value === null)) {
        if (!isMap(value)) fail(value as never, `${name}: expected display_name, unit, decimals, min, max`);
        for (const field of (value as YAMLMap).items) {
          const key = isScalar(field.key) ? String(field.key.value) : '';
          const v = isScalar(field.value) ? field.value.value : undefined;
          const at = (field.value ?? field.key) as never;
          if (!FIELDS.has(key)) fail(field.key as never, `${name}: unknown setting "${key}"`);
          if (key === 'display_name' || key === 'unit') {
            if (typeof v !== 'string' || v.length > 64)
              fail(at, `${name}.${key} must be text of at most 64 characters`);
            info[key === 'unit' ? 'unit' : 'displayName'] = v as string;
          } else if (key === 'decimals') {
            if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 6)
              fail(at, `${name}.decimals must be a whole number from 0 to 6`);
            info.decimals = v as number;
          } else {
            if (typeof v !== 'number' || !Number.isFinite(v)) fail(at, `${name}.${key} must be a number`);
            info[key as 'min' | 'max'] = v as number;
          }
        }
      }
      if (info.min !== undefined && info.max !== undefined && info.min > info.max)
        fail(item.key as never, `${name}: min ${info.min} is above max ${info.max}`);
      metrics.push(info);
    }
    return new MetricCatalog(metrics, file);
  }
}

/**
 * The catalog METRICS_CATALOG names: `off` → none; the default path may be missing (a checkout without the file
 * still runs, bounds off); any other path must exist. Throws a CatalogError naming the file and line.
 */
export function loadMetricCatalog(setting: string, cwd = process.cwd()): MetricCatalog {
  if (setting === 'off') return MetricCatalog.empty;
  const file = path.resolve(cwd, setting);
  if (setting === 'config/metrics.yaml' && !fs.existsSync(file))
    return new MetricCatalog([], `${file} (missing)`);
  return MetricCatalog.load(file);
}
