import { startIngestProcess } from '../../scripts/lib/apps';
import { NodeProcess } from '../../scripts/lib/processes';
import { dropSession } from './broker';

export interface IngestProcess extends NodeProcess {
  /** SIGTERM (if still running), wait for the exit, then drop its persistent session so no queue stays behind */
  stop(): Promise<void>;
}

/**
 * Runs the built ingest app (npm test builds first) as a real process, configured only by its environment (a key
 * given as undefined is left out).
 */
export function startIngest(env: Record<string, string | undefined>): IngestProcess {
  // no metric catalog unless a test gives one: the wire-contract tests send values beyond physical bounds
  const p = startIngestProcess({ METRICS_CATALOG: 'off', ...env });
  const stop = async () => {
    await p.stop();
    if (env.MQTT_URL && env.INGEST_CLIENT_ID) await dropSession(env.MQTT_URL, env.INGEST_CLIENT_ID);
  };
  return { ...p, stop };
}
