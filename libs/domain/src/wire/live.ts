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

export interface LiveNotification {
  readings: LiveReading[];
  devices: LiveDevice[];
}

/** Splits a batch into notification payloads of at most LIVE_PAYLOAD_LIMIT bytes. */
export function encodeLive(readings: LiveReading[], devices: LiveDevice[]): string[] {
  const out: string[] = [];
  let cur: LiveNotification = { readings: [], devices: [] };
  let size = 30;
  const push = (item: LiveReading | LiveDevice, key: keyof LiveNotification) => {
    const len = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (size + len > LIVE_PAYLOAD_LIMIT && (cur.readings.length || cur.devices.length)) {
      out.push(JSON.stringify(cur));
      cur = { readings: [], devices: [] };
      size = 30;
    }
    (cur[key] as unknown[]).push(item);
    size += len;
  };
  for (const d of devices) push(d, 'devices');
  for (const r of readings) push(r, 'readings');
  if (cur.readings.length || cur.devices.length) out.push(JSON.stringify(cur));
  return out;
}
