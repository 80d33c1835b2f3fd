import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { JsonLogger, REPEAT_WINDOW_MS } from './json-logger';

describe(JsonLogger.name, () => {
  let out: string[];
  let err: string[];
  let clock: number;
  let logger: JsonLogger;

  beforeEach(() => {
    out = [];
    err = [];
    clock = Date.parse('2026-01-15T10:00:00Z');
    jest.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    logger = new JsonLogger('log', { now: () => clock, pretty: false });
  });

  afterEach(() => {
    logger.flush();
    jest.restoreAllMocks();
  });

  const parse = (lines: string[]) => lines.map((l) => JSON.parse(l));

  it('writes one JSON object per line, errors on stderr, with the stack inside the line', () => {
    logger.log('subscribed to devices/#', 'IngestMqttServer');
    logger.error(new Error('boom'), 'BatchWriter');
    expect(parse(out)).toEqual([
      {
        time: '2026-01-15T10:00:00.000Z',
        level: 'log',
        context: 'IngestMqttServer',
        msg: 'subscribed to devices/#',
      },
    ]);
    expect(err).toHaveLength(1);
    expect(err[0].trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(err[0])).toMatchObject({ level: 'error', context: 'BatchWriter', msg: 'boom' });
    expect(JSON.parse(err[0]).stack).toContain('json-logger.spec.ts');
    expect([...out, ...err].join('')).not.toContain('\u001b['); // no colour codes, whatever the output is
  });

  it('writes a system error (unreachable broker) without a stack', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1883'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    });
    logger.error(refused, 'IngestMqttServer');
    expect(JSON.parse(err[0])).toEqual({
      time: '2026-01-15T10:00:00.000Z',
      level: 'error',
      context: 'IngestMqttServer',
      msg: 'connect ECONNREFUSED 127.0.0.1:1883',
    });
  });

  it('holds back a line repeated every second and writes how often once the window ends', () => {
    for (let s = 0; s < 90; s++) {
      logger.warn('MQTT connection lost. Trying to reconnect...', 'IngestMqttServer');
      logger.log(`stored ${s} readings`, 'BatchWriter'); // different each time: all written
      clock += 1000;
    }
    logger.flush(); // as at exit
    const lost = parse(out).filter((e) => e.msg.startsWith('MQTT connection lost'));
    // 90 events, 3 lines: the first; after 60 s the next one, saying 59 were held back; at exit the last 29
    expect(lost.map((e) => e.repeated)).toEqual([undefined, 59, 29]);
    expect(parse(out).filter((e) => e.msg.startsWith('stored'))).toHaveLength(90);
  });

  it('writes a line again, with its count, when it recurs after the window', () => {
    logger.warn('database not ready', 'database');
    clock += 1000;
    logger.warn('database not ready', 'database');
    clock += REPEAT_WINDOW_MS;
    logger.warn('database not ready', 'database');
    expect(parse(out).map((e) => e.repeated)).toEqual([undefined, 1]);
  });

  it('drops levels below the configured one, and follows a level change', () => {
    logger.debug('noisy');
    logger.setLevel('debug');
    logger.debug('wanted');
    expect(parse(out).map((e) => e.msg)).toEqual(['wanted']);
  });

  it('redacts secret fields wherever a caller put them', () => {
    const named = new JsonLogger('log', { app: 'api', now: () => clock, pretty: false });
    named.log(
      {
        msg: 'configuration',
        JWT_SECRET: 'jwt-secret-value-0123456789abcdef',
        headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sensorhub_refresh=xyz' },
        user: { email: 'a@b.c', password: 'hunter2hunter2' },
      },
      'bootstrap',
    );
    expect(out.join('')).not.toMatch(/jwt-secret-value|abc\.def\.ghi|sensorhub_refresh=|hunter2/);
    expect(parse(out)[0]).toMatchObject({
      app: 'api',
      context: 'bootstrap',
      JWT_SECRET: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
      user: { email: 'a@b.c', password: '[redacted]' },
    });
  });

  it('colours a line for a terminal', () => {
    const pretty = new JsonLogger('log', { now: () => clock, pretty: true });
    pretty.warn('broker unreachable', 'IngestMqttServer');
    expect(out.join('')).toContain('\u001b[');
    expect(out.join('')).toContain('broker unreachable');
  });

  it('also writes to a file rotated by size, keeping at most maxFiles files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-log-'));
    try {
      const file = path.join(dir, 'logs', 'server.log');
      const rotating = new JsonLogger('log', { file, maxSize: '2K', maxFiles: 3, pretty: false });
      for (let i = 0; i < 200; i++) rotating.log({ msg: 'burst', i, pad: 'x'.repeat(40) }, 'test');
      await rotating.close();
      expect(fs.readdirSync(path.dirname(file)).sort()).toEqual([
        'server.log',
        'server.log.1',
        'server.log.2',
      ]);
      const last = fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(last[last.length - 1]).toMatchObject({ msg: 'burst', i: 199, context: 'test' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
