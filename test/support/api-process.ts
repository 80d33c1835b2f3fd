import { ApiProcess as HarnessApiProcess, startApiProcess as startApp } from '../../scripts/lib/apps';
import { TEST_JWT_SECRET } from './api';

export interface ApiProcess extends HarnessApiProcess {
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The built API (with its alert processor) as a real process on a free port, configured only by its environment;
 * a key given as undefined is left out of it.
 */
export function startApiProcess(env: Record<string, string | undefined>): ApiProcess {
  const p = startApp({ JWT_SECRET: TEST_JWT_SECRET, ...env });
  return { ...p, kill: (signal) => p.stop(signal) };
}
