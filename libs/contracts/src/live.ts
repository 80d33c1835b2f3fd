import { AlertSeverity, AlertState, AlertTransition } from './alerts';

/**
 * Live data has two legs. Ingest announces each committed batch on PostgreSQL NOTIFY in a compact form (rows, epoch
 * ms) to stay under the 8000-byte payload limit; the api turns it into the server-sent events of GET /api/v1/live
 * (objects, ISO 8601 times), which is what the web and integrators consume. `toLiveReading` and `toLiveDevice` are
 * the only conversion between the two.
 */

/** Server-sent event names of GET /api/v1/live. */
export const LIVE_EVENTS = {
  ready: 'ready',
  readings: 'readings',
  devices: 'devices',
  alert: 'alert',
  heartbeat: 'heartbeat',
} as const;
export type LiveEventName = (typeof LIVE_EVENTS)[keyof typeof LIVE_EVENTS];

/** One committed reading, as the `readings` event lists them. */
export interface LiveReading {
  deviceId: string;
  metric: string;
  /** ISO 8601 */
  ts: string;
  value: number;
}

/** A device change, as the `devices` event lists them. */
export interface LiveDevice {
  id: string;
  /** ISO 8601 */
  lastSeen: string;
  /** the Last Will presence, when the change carried one */
  online?: boolean;
  status?: string;
  battery?: number;
}

/** An alert transition (the `alert` event), announced in the transaction that records it. */
export interface LiveAlert {
  alertId: string;
  ruleId: string;
  ruleName: string;
  deviceId: string;
  metric: string;
  severity: AlertSeverity;
  transition: AlertTransition;
  state: AlertState;
  value: number | null;
  /** ISO 8601 */
  at: string;
}

// --- the NOTIFY leg (ingest → api) -----------------------------------------------------------------------------

/** [deviceId, metric, ts epoch ms, value] */
export type LiveReadingRow = [string, string, number, number];

export interface LiveDeviceRow {
  id: string;
  /** epoch ms */
  lastSeen: number;
  online?: boolean;
  status?: string;
  battery?: number;
}

/** One NOTIFY payload on LIVE_CHANNEL. */
export interface LiveNotification {
  readings: LiveReadingRow[];
  devices: LiveDeviceRow[];
  alerts?: LiveAlert[];
}

export const toLiveReading = ([deviceId, metric, ts, value]: LiveReadingRow): LiveReading => ({
  deviceId,
  metric,
  ts: new Date(ts).toISOString(),
  value,
});

export const toLiveDevice = (d: LiveDeviceRow): LiveDevice => ({
  ...d,
  lastSeen: new Date(d.lastSeen).toISOString(),
});
