// Applies pending migrations to DATABASE_URL (npm run migrate).
import * as dotenv from 'dotenv';

import { resolveSecrets, runMigrations } from '@sensorhub/domain';

import { ensureAdmin } from './lib/admin';

dotenv.config({ quiet: true });

// DATABASE_PASSWORD and ADMIN_PASSWORD may come from NAME_FILE or systemd credentials, as for the apps
let env: Record<string, unknown>;
try {
  env = resolveSecrets(process.env);
} catch (err) {
  console.error(`migrate: ${(err as Error).message}`);
  process.exit(2);
}
const url = String(env.DATABASE_URL ?? '');
if (!/^postgres(ql)?:\/\//.test(url)) {
  console.error('migrate: DATABASE_URL must be set to a postgres:// URL');
  process.exit(2);
}
async function main() {
  const applied = await runMigrations(url);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
  // with ADMIN_PASSWORD set (docker-compose), also create the first admin if it does not exist
  if (env.ADMIN_PASSWORD) {
    const admin = await ensureAdmin(url, {
      email: (env.ADMIN_EMAIL as string) || undefined,
      password: String(env.ADMIN_PASSWORD),
    });
    if (admin.created) console.log(`admin user created: ${admin.email}`);
  }
}

main().catch((err: Error) => {
  console.error(`migrate: ${err.message}`);
  process.exit(1);
});
