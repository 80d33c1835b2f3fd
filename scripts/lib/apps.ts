// The built apps as their own processes, configured only by their environment (as `npm run start:api` /
// `start:ingest` run them), for the tests and the benchmarks.
import { API_MAIN, INGEST_MAIN } from './paths';
import { NodeProcess, startNode } from './processes';

export interface ApiProcess extends NodeProcess {
  /** its base URL once it answers HTTP; rejects, with its output, if it exits first */
  url: Promise<string>;
}

const LISTENING = /"msg":"listening","url":"([^"]+)"/;

/**
 * The api (with its alert processor). Unless `env` says otherwise: any free port (PORT 0), LOG_LEVEL log, no .env
 * file, rate limits out of the way. With a PORT of its own it is up once `GET /api/v1/ping` answers (any LOG_LEVEL);
 * on port 0 once it logs the URL it listens on.
 */
export function startApiProcess(
  env: Record<string, string | undefined>,
  opts: { nodeArgs?: string[]; echo?: boolean } = {},
): ApiProcess {
  const full: Record<string, string | undefined> = {
    PORT: '0',
    LOG_LEVEL: 'log',
    ENV_FILE: '/nonexistent/.env',
    THROTTLE_LIMIT: '1000000',
    ...env,
  };
  const p = startNode(API_MAIN, {
    name: 'api',
    env: full,
    ready: full.PORT === '0' ? LISTENING : undefined,
    ...opts,
  });
  const url =
    full.PORT === '0'
      ? p.ready.then((m) => m[1].replace('[::1]', '127.0.0.1'))
      : untilAnswers(`http://${full.HOST ?? '127.0.0.1'}:${full.PORT}`, p);
  url.catch(() => undefined);
  return { ...p, url };
}

async function untilAnswers(base: string, p: NodeProcess): Promise<string> {
  for (;;) {
    if (p.proc.exitCode !== null || p.proc.signalCode !== null)
      throw new Error(
        `api exited with ${p.proc.exitCode ?? p.proc.signalCode} before listening:\n${p.output()}`,
      );
    const up = await fetch(`${base}/api/v1/ping`).then(
      () => true,
      () => false,
    );
    if (up) return base;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Ingest, ready once it has subscribed. LOG_LEVEL log unless `env` says otherwise (the ready line is at that level). */
export function startIngestProcess(
  env: Record<string, string | undefined>,
  opts: { nodeArgs?: string[]; echo?: boolean } = {},
): NodeProcess {
  return startNode(INGEST_MAIN, {
    name: 'ingest',
    env: { LOG_LEVEL: 'log', ...env },
    ready: /subscribed to/,
    ...opts,
  });
}
