/**
 * What ingest announces after each committed batch (PostgreSQL NOTIFY, delivered only on commit) and the API
 * LISTENs to for its live stream. A batch is split into several notifications, each under PostgreSQL's 8000-byte
 * payload limit.
 */
export const LIVE_CHANNEL = 'sensorhub_live';
export const LIVE_PAYLOAD_LIMIT = 7900;

/** [deviceId, metric, ts epoch ms, value] */
export type LiveReading = [string, string, number, number];

export interface LiveDevice {
  id: string;
  lastSeen: number;
  online?: boolean;
  status?: string;
  battery?: number;
}

/** An alert transition, announced by the alert processor in the transaction that records it. */
export interface LiveAlert {
  alertId: string;
  ruleId: string;
  ruleName: string;
  deviceId: string;
  metric: string;
  severity: string;
  /** firing | resolved | acknowledged */
  transition: string;
  state: string;
  value: number | null;
  at: string;
}

export interface LiveNotification {
  readings: LiveReading[];
  devices: LiveDevice[];
  alerts?: LiveAlert[];
}

/** Splits a batch into notification payloads of at most LIVE_PAYLOAD_LIMIT bytes. */
export function encodeLive(readings: LiveReading[], devices: LiveDevice[]): string[] {
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
