import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AlertAction } from '@sensorhub/domain';

import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig } from '../config/api.config';
import { MetricsService } from '../metrics/metrics.service';
import { MqttService } from '../mqtt/mqtt.service';

const EVENTS_PER_TX = 20;
const OUTPUT_LIMIT = 2000;

export const SIGNATURE_HEADER = 'X-SensorHub-Signature';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** A failure that retrying cannot fix (refused script, missing secret): the event fails at once. */
class PermanentFailure extends Error {}

interface DueEvent {
  id: string;
  action: AlertAction;
  payload: Record<string, unknown>;
  attempts: number;
  idempotency_key: string;
}

/** `{deviceId}`-style placeholders filled from the event. */
export function fillTemplate(template: string, event: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = event[k];
    return v === undefined || v === null ? '' : String(v);
  });
}

/**
 * Where a script action's path points, if it is an executable file inside ALERT_SCRIPTS_DIR (symlinks resolved);
 * else a PermanentFailure saying why.
 */
export async function resolveScript(dir: string | undefined, file: string): Promise<string> {
  if (!dir) throw new PermanentFailure('refused: ALERT_SCRIPTS_DIR is not set, scripts are off');
  const root = await realpath(dir).catch(() => {
    throw new PermanentFailure('refused: ALERT_SCRIPTS_DIR does not exist');
  });
  const full = await realpath(path.resolve(root, file)).catch(() => {
    throw new PermanentFailure(`refused: ${file} does not exist`);
  });
  if (!full.startsWith(root + path.sep))
    throw new PermanentFailure(`refused: ${file} is outside ALERT_SCRIPTS_DIR`);
  if (!(await stat(full)).isFile()) throw new PermanentFailure(`refused: ${file} is not a file`);
  await access(full, constants.X_OK).catch(() => {
    throw new PermanentFailure(`refused: ${file} is not executable`);
  });
  return full;
}
export { PermanentFailure };

/**
 * Performs outbox rows (alert_events) whose time has come, taken with FOR UPDATE SKIP LOCKED so replicas share them
 * and never run one row at the same time. The row is marked in the same transaction that held it: a crash after the
 * action but before the commit leaves it pending, and it runs again with the same idempotency key (at least once).
 */
@Injectable()
export class AlertActionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly mqtt: MqttService,
    private readonly metrics: MetricsService,
  ) {}

  async performDue(): Promise<void> {
    for (;;) {
      const q = this.ds.createQueryRunner();
      await q.connect();
      try {
        await q.startTransaction();
        const due: DueEvent[] = await q.query(
          `SELECT id, action, payload, attempts, idempotency_key FROM alert_events
            WHERE status = 'pending' AND next_attempt_at <= now()
            ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [EVENTS_PER_TX],
        );
        if (!due.length) {
          await q.commitTransaction();
          return;
        }
        const results = await Promise.all(due.map((e) => this.perform(e)));
        for (let i = 0; i < due.length; i++) {
          const e = due[i];
          const r = results[i];
          const attempts = e.attempts + 1;
          if (r.ok) {
            await q.query(
              `UPDATE alert_events SET status = 'done', attempts = $2, outcome = $3, processed_at = now() WHERE id = $1`,
              [e.id, attempts, r.outcome],
            );
          } else if (r.permanent || attempts >= this.config.ALERT_MAX_ATTEMPTS) {
            this.metrics.alertActionFailures.inc({ action: e.action.type });
            await q.query(
              `UPDATE alert_events SET status = 'failed', attempts = $2, outcome = $3, processed_at = now() WHERE id = $1`,
              [e.id, attempts, r.outcome],
            );
          } else {
            const delay = this.config.ALERT_RETRY_BASE_MS * 2 ** (attempts - 1);
            await q.query(
              `UPDATE alert_events SET attempts = $2, outcome = $3,
                      next_attempt_at = now() + make_interval(secs => $4::double precision / 1000) WHERE id = $1`,
              [e.id, attempts, r.outcome, Math.min(delay, 3_600_000)],
            );
          }
        }
        await q.commitTransaction();
      } catch (err) {
        if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
        throw err;
      } finally {
        await q.release();
      }
    }
  }

  private async perform(e: DueEvent): Promise<{ ok: boolean; outcome: string; permanent?: boolean }> {
    const event = { ...e.payload, idempotencyKey: e.idempotency_key };
    try {
      switch (e.action.type) {
        case 'mqtt':
          return { ok: true, outcome: await this.publish(e.action, event) };
        case 'webhook':
          return await this.webhook(e.action.url, event, e.idempotency_key);
        case 'script':
          return await this.script(e.action.path, event);
        default:
          return { ok: false, permanent: true, outcome: `unknown action type` };
      }
    } catch (err) {
      return {
        ok: false,
        permanent: err instanceof PermanentFailure,
        outcome: (err as Error).message.slice(0, 500),
      };
    }
  }

  private async publish(
    a: { topic?: string; payload?: string },
    event: Record<string, unknown>,
  ): Promise<string> {
    const topic = fillTemplate(a.topic ?? this.config.ALERT_MQTT_TOPIC, event);
    const body = a.payload !== undefined ? fillTemplate(a.payload, event) : JSON.stringify(event);
    await this.mqtt.publish(topic, body);
    return `published to ${topic}`;
  }

  private async webhook(
    url: string,
    event: Record<string, unknown>,
    key: string,
  ): Promise<{ ok: boolean; outcome: string; permanent?: boolean }> {
    const secret = this.config.ALERT_WEBHOOK_SECRET;
    if (!secret)
      throw new PermanentFailure('ALERT_WEBHOOK_SECRET is not set: webhooks are not signed, not sent');
    const body = JSON.stringify(event);
    const signature = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: signature,
        [IDEMPOTENCY_HEADER]: key,
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(this.config.ALERT_WEBHOOK_TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => undefined);
    return { ok: res.ok, outcome: `HTTP ${res.status}` };
  }

  private async script(
    file: string,
    event: Record<string, unknown>,
  ): Promise<{ ok: boolean; outcome: string }> {
    const full = await resolveScript(this.config.ALERT_SCRIPTS_DIR, file);
    return new Promise((resolve) => {
      const child = execFile(
        full,
        [],
        {
          timeout: this.config.ALERT_SCRIPT_TIMEOUT_MS,
          maxBuffer: 64 * 1024,
          cwd: path.dirname(full),
          env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
        },
        (err, stdout, stderr) => {
          const output = `${stdout}${stderr ? `\nstderr: ${stderr}` : ''}`.trim().slice(0, OUTPUT_LIMIT);
          if (!err) return resolve({ ok: true, outcome: `exit 0${output ? `: ${output}` : ''}` });
          const why = err.killed
            ? `timed out after ${this.config.ALERT_SCRIPT_TIMEOUT_MS} ms`
            : `exit ${err.code}`;
          resolve({ ok: false, outcome: `${why}${output ? `: ${output}` : ''}` });
        },
      );
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(JSON.stringify(event));
    });
  }
}
