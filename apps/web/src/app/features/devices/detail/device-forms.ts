/** Pure form logic of the device detail page: metadata rows and command bodies. */

export interface MetadataRow {
  id: number;
  key: string;
  value: string;
  /** the stored value when it is not a string, kept as it was while its text is unchanged */
  original?: unknown;
}

let nextRowId = 1;

export function metadataRow(key = '', value: unknown = ''): MetadataRow {
  return typeof value === 'string'
    ? { id: nextRowId++, key, value }
    : { id: nextRowId++, key, value: metadataText(value), original: value };
}

/** How a metadata value reads on screen: strings as they are, anything else as JSON. */
export function metadataText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v);
}

export function metadataRows(metadata: Record<string, unknown> | undefined): MetadataRow[] {
  return Object.entries(metadata ?? {}).map(([k, v]) => metadataRow(k, v));
}

export function metadataEntries(metadata: Record<string, unknown> | undefined): [string, string][] {
  return Object.entries(metadata ?? {}).map(([k, v]) => [k, metadataText(v)]);
}

/** The metadata object the rows describe; blank rows are dropped, keys are trimmed and must be unique. */
export function metadataFromRows(
  rows: readonly MetadataRow[],
): { metadata: Record<string, unknown> } | { error: string } {
  const metadata: Record<string, unknown> = {};
  for (const r of rows) {
    const key = r.key.trim();
    if (!key && !r.value.trim()) continue;
    if (!key) return { error: `The value "${r.value.trim()}" needs a key.` };
    if (Object.prototype.hasOwnProperty.call(metadata, key))
      return { error: `The key "${key}" is used twice.` };
    metadata[key] = r.original !== undefined && r.value === metadataText(r.original) ? r.original : r.value;
  }
  return { metadata };
}

export const COMMANDS = ['ping', 'reboot', 'interval'] as const;
export type CommandName = (typeof COMMANDS)[number];
export type CommandBody = { command: CommandName; seconds?: number };

export const INTERVAL_MIN_S = 5;
export const INTERVAL_MAX_S = 86_400;

/** The body of POST /devices/{id}/commands, or why it cannot be sent. */
export function commandBody(
  command: CommandName,
  seconds: number | string | null | undefined,
): { body: CommandBody } | { error: string } {
  if (command !== 'interval') return { body: { command } };
  const s = typeof seconds === 'string' ? Number(seconds.trim() || NaN) : (seconds ?? NaN);
  if (!Number.isInteger(s) || s < INTERVAL_MIN_S || s > INTERVAL_MAX_S)
    return {
      error: `The interval must be a whole number of seconds from ${INTERVAL_MIN_S} to ${INTERVAL_MAX_S}.`,
    };
  return { body: { command, seconds: s } };
}
