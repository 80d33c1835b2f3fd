import { LiveDeviceRow, LiveReadingRow } from '@sensorhub/contracts';

/**
 * What ingest announces after each committed batch (PostgreSQL NOTIFY, delivered only on commit) and the API
 * LISTENs to for its live stream; the shape is `LiveNotification` of @sensorhub/contracts. A batch is split into
 * several notifications, each under PostgreSQL's 8000-byte payload limit.
 */
export const LIVE_CHANNEL = 'sensorhub_live';
export const LIVE_PAYLOAD_LIMIT = 7900;

/** Splits a batch into notification payloads of at most LIVE_PAYLOAD_LIMIT bytes. */
export function encodeLive(readings: readonly LiveReadingRow[], devices: readonly LiveDeviceRow[]): string[] {
  const out: string[] = [];
  let r = '';
  let d = '';
  let size = EMPTY.length;
  const flush = () => {
    if (r || d) out.push(`{"readings":[${r}],"devices":[${d}]}`);
    r = d = '';
    size = EMPTY.length;
  };
  for (const dev of devices) {
    // a device status string may not be ASCII
    const json = JSON.stringify(dev);
    const bytes = Buffer.byteLength(json);
    if (size + bytes + 1 > LIVE_PAYLOAD_LIMIT) flush();
    d = d ? `${d},${json}` : json;
    size += bytes + 1;
  }
  for (const reading of readings) {
    const json = readingJson(reading);
    const bytes = json.length; // ASCII: see readingJson
    if (size + bytes + 1 > LIVE_PAYLOAD_LIMIT) flush();
    r = r ? `${r},${json}` : json;
    size += bytes + 1;
  }
  flush();
  return out;
}

/**
 * `[deviceId, metric, ts, value]` as JSON.stringify writes it, without its generic walk: ids and metrics are
 * `[A-Za-z0-9_-]` by the wire contract, so they are their own JSON strings; anything else is escaped as ASCII.
 */
function readingJson(r: LiveReadingRow): string {
  const value = r[3];
  return `[${jsonString(r[0])},${jsonString(r[1])},${r[2]},${Number.isFinite(value) ? value : 'null'}]`;
}

const PLAIN = /^[\w-]*$/;
const jsonString = (s: string): string =>
  PLAIN.test(s)
    ? `"${s}"`
    : JSON.stringify(s).replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );

const EMPTY = '{"readings":[],"devices":[]}';
