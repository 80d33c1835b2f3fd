// What the tests and benchmarks put in a database before they start: users, devices, series of readings.
import { Client } from 'pg';

import { hashPassword, Role } from '@sensorhub/domain';

export interface SeedUser {
  email: string;
  password: string;
  role: Role;
}

/** Inserts users (argon2 is slow: each distinct password is hashed once); returns their ids by e-mail. */
export async function insertUsers(db: Client, users: SeedUser[]): Promise<Record<string, string>> {
  const hashes = new Map<string, string>();
  const ids: Record<string, string> = {};
  for (const u of users) {
    if (!hashes.has(u.password)) hashes.set(u.password, await hashPassword(u.password));
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3) RETURNING id`,
      [u.email, hashes.get(u.password), u.role],
    );
    ids[u.email] = rows[0].id;
  }
  return ids;
}

/**
 * `days` of 5-minute temperature and humidity readings up to a minute ago for `deviceId`: a daily cycle plus a
 * faster wiggle, deterministic, so downsampling has a visible min–max band.
 */
export async function insertSeries(db: Client, deviceId: string, days: number): Promise<void> {
  await db.query(
    `INSERT INTO readings (device_id, metric, ts, value)
     SELECT $1, m.metric, g.ts,
            round((m.base + m.amp * sin(2 * pi() * extract(epoch FROM g.ts) / 86400)
                   + m.amp * 0.25 * sin(2 * pi() * extract(epoch FROM g.ts) / 1800))::numeric, 3)::float8
     FROM generate_series(date_bin('5 minutes', now() - $2::interval, 'epoch'), now() - interval '1 minute', interval '5 minutes') AS g(ts)
     CROSS JOIN (VALUES ('temperature', 21.0, 4.0), ('humidity', 55.0, 12.0)) AS m(metric, base, amp)`,
    [deviceId, `${days} days`],
  );
}
