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
    logger = new JsonLogger('log', () => clock);
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
});
