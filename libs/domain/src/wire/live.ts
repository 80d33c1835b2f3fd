import { LiveDeviceRow, LiveReadingRow } from '@sensorhub/contracts';

/**
 * What ingest announces after each committed batch (PostgreSQL NOTIFY, delivered only on commit) and the API
 * LISTENs to for its live stream; the shape is `LiveNotification` of @sensorhub/contracts. A batch is split into
 * several notifications, each under PostgreSQL's 8000-byte payload limit.
 */
export const LIVE_CHANNEL = 'sensorhub_live';
export const LIVE_PAYLOAD_LIMIT = 7900;

/** Splits a batch into notification payloads of at most LIVE_PAYLOAD_LIMIT bytes. */
export function encodeLive(readings: LiveReadingRow[], devices: LiveDeviceRow[]): string[] {
  const out: string[] = [];
  let r: string[] = [];
  let d: string[] = [];
  let size = EMPTY.length;
  const flush = () => {
    if (r.length || d.length) out.push(`{"readings":[${r.join(',')}],"devices":[${d.join(',')}]}`);
    r = [];
    d = [];
    size = EMPTY.length;
  };
  const add = (json: string, into: 'r' | 'd') => {
    // readings are ASCII (ids and metrics are by the wire contract); a device status string may not be
    const bytes = into === 'r' ? json.length : Buffer.byteLength(json);
    if (size + bytes + 1 > LIVE_PAYLOAD_LIMIT) flush();
    (into === 'r' ? r : d).push(json);
    size += bytes + 1;
  };
  for (const dev of devices) add(JSON.stringify(dev), 'd');
  for (const reading of readings) add(JSON.stringify(reading), 'r');
  flush();
  return out;
}

const EMPTY = '{"readings":[],"devices":[]}';
