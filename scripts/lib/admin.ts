// The first admin user: from ADMIN_EMAIL/ADMIN_PASSWORD, or with a generated password returned to print once.
import * as crypto from 'node:crypto';

import { Client } from 'pg';

import { hashPassword } from '@sensorhub/domain';

/** Creates the admin if no user has that e-mail. */
export async function ensureAdmin(
  databaseUrl: string,
  { email = 'admin@sensorhub.local', password }: { email?: string; password?: string } = {},
): Promise<{ created: boolean; email: string; generatedPassword?: string }> {
  email = email.toLowerCase();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rowCount } = await db.query('SELECT 1 FROM users WHERE email = $1', [email]);
    if (rowCount) return { created: false, email };
    const generated = password ? undefined : crypto.randomBytes(15).toString('base64url');
    const plain = password ?? generated!;
    if (plain.length < 12)
      throw new Error('ADMIN_PASSWORD must be at least 12 characters (as for every user)');
    await db.query(`INSERT INTO users (email, password_hash, role) VALUES ($1, $2, 'admin')`, [
      email,
      await hashPassword(plain),
    ]);
    return { created: true, email, generatedPassword: generated };
  } finally {
    await db.end();
  }
}
