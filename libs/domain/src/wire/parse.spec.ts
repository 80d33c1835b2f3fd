import { DEAD_LETTER_REASONS as R } from '@sensorhub/contracts';
import fc from 'fast-check';

import { MetricCatalog } from '../catalog/metric-catalog';
import { MAX_ABS_VALUE, parseIsoTimestamp, parseMessage, ParsedMessage } from './parse';

const now = new Date('2026-01-15T10:30:00.000Z');
const catalog = MetricCatalog.parse(
  'metrics:\n  temperature: { unit: °C, min: -80, max: 150 }\n  humidity: { min: 0, max: 100 }\n  free:\n',
);
const parse = (topic: string, payload: string | Buffer, opts = {}) =>
  parseMessage(topic, typeof payload === 'string' ? Buffer.from(payload) : payload, { now, ...opts });
const reasonOf = (m: ParsedMessage) => (m.ok ? 'OK' : m.reason);

describe(parseMessage.name, () => {
  describe('single readings on devices/{id}/{metric}', () => {
    it('takes a plain number and stamps it with the time of receipt', () => {
      expect(parse('devices/t0000001/temperature', '21.5')).toEqual({
        ok: true,
        kind: 'reading',
        deviceId: 't0000001',
        readings: [{ deviceId: 't0000001', metric: 'temperature', ts: now, value: 21.5 }],
        stamped: true,
      });
    });

    it('reads a topic the same however often it comes, and past the bound of the topics it remembers', () => {
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 20_005; i++) {
          const m = parse(`devices/r${i}/temperature`, '1');
          expect(m.ok && m.deviceId === `r${i}` && m.readings[0].metric === 'temperature').toBe(true);
        }
        // a refused topic is refused every time
        expect(parse('devices/r1/Temperature', '1')).toMatchObject({ ok: false, reason: R.invalidTopic });
      }
    });

    it.each(['-3', '0', '1e3', '  42  ', '.5', '7.'])('takes the number text %p', (text) => {
      const m = parse('devices/d1/x', text);
      expect(m.ok && m.readings[0].value).toBe(Number(text));
    });

    it('takes {"value","ts"} with an ISO 8601 ts', () => {
      const m = parse('devices/d-1_a/humidity', '{"value":41,"ts":"2026-01-15T10:00:00.000Z"}');
      expect(m.ok && m.readings).toEqual([
        { deviceId: 'd-1_a', metric: 'humidity', ts: new Date('2026-01-15T10:00:00.000Z'), value: 41 },
      ]);
    });

    it('takes an epoch-millisecond ts and an ISO ts with an offset', () => {
      const epoch = parse('devices/d1/x', `{"value":1,"ts":${now.getTime() - 1000}}`);
      expect(epoch.ok && epoch.readings[0].ts).toEqual(new Date(now.getTime() - 1000));
      const offset = parse('devices/d1/x', '{"value":1,"ts":"2026-01-15T11:00:00+01:00"}');
      expect(offset.ok && offset.readings[0].ts).toEqual(new Date('2026-01-15T10:00:00Z'));
    });

    it('takes {"value"} without ts as the time of receipt', () => {
      const m = parse('devices/d1/x', '{"value":-0.25}');
      expect(m.ok && m.readings[0]).toEqual({ deviceId: 'd1', metric: 'x', ts: now, value: -0.25 });
    });

    it('does not treat a payload with "id" or "data" keys as anything but a reading payload', () => {
      expect(reasonOf(parse('devices/d1/x', '{"id":1,"data":2}'))).toBe(R.invalidPayload);
    });
  });

  describe('telemetry packets on devices/{id}/telemetry', () => {
    const packet = {
      device_id: 'a1b2c3d4',
      timestamp: '2026-01-15T10:29:59.000Z',
      measurements: { temperature: 23.5, humidity: 41 },
      status: 'ok',
      battery: 87,
    };

    it('turns each measurement into a reading and keeps status and battery', () => {
      const m = parse('devices/a1b2c3d4/telemetry', JSON.stringify(packet));
      const ts = new Date(packet.timestamp);
      expect(m).toEqual({
        ok: true,
        kind: 'telemetry',
        deviceId: 'a1b2c3d4',
        readings: [
          { deviceId: 'a1b2c3d4', metric: 'temperature', ts, value: 23.5 },
          { deviceId: 'a1b2c3d4', metric: 'humidity', ts, value: 41 },
        ],
        device: { status: 'ok', battery: 87 },
      });
    });

    it('accepts a packet without device_id, timestamp, status or battery', () => {
      const m = parse('devices/a1/telemetry', '{"measurements":{"co2":612}}');
      expect(m.ok && m.readings).toEqual([{ deviceId: 'a1', metric: 'co2', ts: now, value: 612 }]);
    });

    it('accepts a packet that only reports battery', () => {
      const m = parse('devices/a1/telemetry', '{"measurements":{},"battery":12}');
      expect(m.ok && m.device).toEqual({ battery: 12 });
    });
  });

  describe('presence on devices/{id}/status', () => {
    it.each([
      ['online', true],
      ['offline', false],
    ])('reads %p as online=%p', (text, online) => {
      expect(parse('devices/d1/status', text)).toEqual({
        ok: true,
        kind: 'status',
        deviceId: 'd1',
        readings: [],
        device: { online },
      });
    });
  });

  it('passes our own commands on devices/{id}/cmd without readings or a dead letter', () => {
    expect(parse('devices/d1/cmd', '{"command":"ping"}')).toEqual({
      ok: true,
      kind: 'command',
      deviceId: 'd1',
      readings: [],
    });
  });

  describe('dead letters: every reason code', () => {
    const cases: Array<[string, string, string | Buffer, object?]> = [
      [R.invalidTopic, 'sensors/d1/temperature', '1'],
      [R.invalidTopic, 'devices/d1', '1'],
      [R.invalidTopic, 'devices/d1/temperature/extra', '1'],
      [R.invalidTopic, 'devices//temperature', '1'],
      [R.invalidTopic, 'devices/d1/Temperature', '1'],
      [R.invalidTopic, `devices/${'x'.repeat(65)}/t`, '1'],
      [R.invalidTopic, 'devices/d.1/t', '1'],
      [R.payloadTooLarge, 'devices/d1/t', Buffer.alloc(65 * 1024, 0x31)],
      [R.payloadTooLarge, 'devices/d1/t', '12345', { maxPayloadBytes: 4 }],
      [R.emptyPayload, 'devices/d1/t', ''],
      [R.emptyPayload, 'devices/d1/t', '   '],
      [R.invalidEncoding, 'devices/d1/t', Buffer.from([0xff, 0xfe, 0x31])],
      [R.invalidJson, 'devices/d1/t', '{"value":'],
      [R.invalidJson, 'devices/d1/telemetry', 'not json'],
      [R.invalidPayload, 'devices/d1/t', '[1,2]'],
      [R.invalidPayload, 'devices/d1/t', '{"ts":1}'],
      [R.invalidPayload, 'devices/d1/t', '{"value":1,"unit":"C"}'],
      [R.invalidPayload, 'devices/d1/telemetry', '{"measurements":[1]}'],
      [R.invalidPayload, 'devices/d1/telemetry', '{"measurements":{},"extra":1}'],
      [R.invalidPayload, 'devices/d1/telemetry', '{"measurements":{}}'],
      [R.invalidPayload, 'devices/d1/telemetry', '{"device_id":7,"measurements":{"t":1}}'],
      [R.invalidPayload, 'devices/d1/telemetry', '{"measurements":{"t":1},"status":5}'],
      [R.invalidPayload, 'devices/d1/telemetry', '{"measurements":{"t":1},"status":"o\\u0000k"}'],
      [R.invalidPayload, 'devices/d1/telemetry', '{"measurements":{"t":1},"status":"line\\nbreak"}'],
      [R.invalidPayload, 'devices/d1/telemetry', '{"measurements":{"t":1},"battery":5,"battery_level":5}'],
      [
        R.invalidPayload,
        'devices/d1/telemetry',
        '{"measurements":{"a":1,"b":2,"c":3}}',
        { maxMeasurements: 2 },
      ],
      [R.invalidValue, 'devices/d1/t', 'NaN'],
      [R.invalidValue, 'devices/d1/t', 'Infinity'],
      [R.invalidValue, 'devices/d1/t', '0x10'],
      [R.invalidValue, 'devices/d1/t', 'warm'],
      [R.invalidValue, 'devices/d1/t', '{"value":"21.5"}'],
      [R.invalidValue, 'devices/d1/t', '{"value":null}'],
      [R.invalidValue, 'devices/d1/telemetry', '{"measurements":{"t":"hot"}}'],
      [R.invalidValue, 'devices/d1/telemetry', '{"measurements":{"t":1e999}}'],
      [R.invalidMetric, 'devices/d1/telemetry', '{"measurements":{"Temp C":1}}'],
      [R.invalidTimestamp, 'devices/d1/t', '{"value":1,"ts":"yesterday"}'],
      [R.invalidTimestamp, 'devices/d1/t', '{"value":1,"ts":"2026-01-15"}'],
      [R.invalidTimestamp, 'devices/d1/t', '{"value":1,"ts":"2026-13-45T10:00:00Z"}'],
      [R.invalidTimestamp, 'devices/d1/t', '{"value":1,"ts":"2026-02-31T10:00:00Z"}'],
      [R.invalidTimestamp, 'devices/d1/t', '{"value":1,"ts":"2026-01-15T24:00:00Z"}'],
      [R.invalidTimestamp, 'devices/d1/t', '{"value":1,"ts":"2026-01-15T10:00:00+25:00"}'],
      [R.invalidTimestamp, 'devices/d1/t', '{"value":1,"ts":"12"}'],
      [R.invalidTimestamp, 'devices/d1/t', '{"value":1,"ts":null}'],
      [R.invalidTimestamp, 'devices/d1/telemetry', '{"timestamp":true,"measurements":{"t":1}}'],
      [R.timestampOutOfRange, 'devices/d1/t', '{"value":1,"ts":"2026-01-15T10:40:00Z"}'],
      [R.timestampOutOfRange, 'devices/d1/t', '{"value":1,"ts":"2025-12-01T00:00:00Z"}'],
      [R.timestampOutOfRange, 'devices/d1/t', '{"value":1,"ts":0}'],
      [R.timestampOutOfRange, 'devices/d1/t', '{"value":1,"ts":1.5}'],
      [R.timestampOutOfRange, 'devices/d1/t', '{"value":1,"ts":100000000000000000000}'],
      [R.timestampOutOfRange, 'devices/d1/t', '{"value":1,"ts":-8.64e15}'],
      [R.timestampOutOfRange, 'devices/d1/t', '{"value":1,"ts":1e308}'],
      [R.timestampOutOfRange, 'devices/d1/t', '{"value":1,"ts":"9999-12-31T23:59:59Z"}'],
      [R.outOfRange, 'devices/d1/t', '{"value":1.7976931348623157e308}'],
      [R.outOfRange, 'devices/d1/t', '-1e16'],
      [R.outOfRange, 'devices/d1/telemetry', '{"measurements":{"t":1e300}}'],
      [R.outOfRange, 'devices/d1/temperature', '150.5', { catalog }],
      [R.outOfRange, 'devices/d1/telemetry', '{"measurements":{"humidity":-1}}', { catalog }],
      [R.unknownMetric, 'devices/d1/wind', '3', { catalog, requireKnownMetrics: true }],
      [R.timestampOutOfRange, 'devices/d1/t', '{"value":1,"ts":"2026-01-15T10:30:02Z"}', { maxSkewMs: 1000 }],
      [R.deviceIdMismatch, 'devices/d1/telemetry', '{"device_id":"d2","measurements":{"t":1}}'],
      [R.invalidBattery, 'devices/d1/telemetry', '{"measurements":{"t":1},"battery":101}'],
      [R.invalidBattery, 'devices/d1/telemetry', '{"measurements":{"t":1},"battery":"87"}'],
      [R.invalidStatus, 'devices/d1/status', 'maybe'],
    ];

    const label = (p: string | Buffer) => (typeof p === 'string' ? JSON.stringify(p) : `<${p.length} bytes>`);
    it.each(cases.map(([r, t, p, o]) => [r, t, label(p), p, o] as const))(
      '%s for %s with payload %s',
      (reason, topic, _label, payload, opts) => {
        const m = parse(topic, payload, opts);
        expect(reasonOf(m)).toBe(reason);
        expect(!m.ok && m.detail.length).toBeGreaterThan(0);
      },
    );

    it('covers every reason code but those decided by the database or a failure (UNKNOWN_DEVICE, …)', () => {
      const covered = new Set(cases.map(([reason]) => reason));
      const notParserReasons: string[] = [
        R.unknownDevice,
        R.databaseRejected,
        R.conflictingDuplicate,
        R.handlerError,
      ];
      const expected = Object.values(R).filter((r) => !notParserReasons.includes(r));
      expect([...covered].sort()).toEqual([...expected].sort());
    });

    it('drops a reading whose ts is 10 minutes ahead', () => {
      const ahead = new Date(now.getTime() + 10 * 60_000).toISOString();
      expect(reasonOf(parse('devices/d1/t', `{"value":1,"ts":"${ahead}"}`))).toBe(R.timestampOutOfRange);
    });

    it.each([
      ['{"measurements":{"temperature":"hot"}}', 'measurements.temperature'],
      ['{"measurements":{"temperature":900}}', 'measurements.temperature'],
      ['{"measurements":{"Bad-Metric":1}}', 'measurements.Bad-Metric'],
      ['{"measurements":{"t":1},"timestamp":"yesterday"}', 'timestamp'],
      ['{"measurements":{"t":1},"battery":140}', 'battery'],
      ['{"measurements":{"t":1},"colour":"red"}', 'colour'],
      ['{"device_id":"other","measurements":{"t":1}}', 'device_id'],
      ['{"measurements":[]}', 'measurements'],
      ['not json', undefined],
    ])('names the failing field of telemetry %s', (payload, field) => {
      const m = parse('devices/d1/telemetry', payload, { catalog });
      expect(!m.ok && m.field).toBe(field);
    });
  });

  describe('the metric catalog', () => {
    it("takes values within a metric's bounds, the bounds included, and metrics it does not list", () => {
      for (const [topic, text] of [
        ['devices/d1/temperature', '-80'],
        ['devices/d1/temperature', '150'],
        ['devices/d1/free', '1e9'],
        ['devices/d1/wind', '3'],
      ])
        expect(reasonOf(parse(topic, text, { catalog }))).toBe('OK');
      expect(reasonOf(parse('devices/d1/free', '1', { catalog, requireKnownMetrics: true }))).toBe('OK');
    });

    it('names the metric, the value, the bounds and the unit when it refuses', () => {
      const m = parse('devices/d1/temperature', '151', { catalog });
      expect(!m.ok && m.detail).toBe('temperature 151 °C is outside its bounds [-80, 150] °C');
    });
  });

  describe('what other senders send (original specification, other clocks)', () => {
    it('takes epoch seconds, with or without a fraction, by their magnitude', () => {
      const seconds = now.getTime() / 1000 - 60;
      const m = parse('devices/d1/x', `{"value":1,"ts":${seconds}}`);
      expect(m.ok && m.readings[0].ts).toEqual(new Date(now.getTime() - 60_000));
      const frac = parse('devices/d1/x', `{"value":1,"ts":${seconds + 0.25}}`);
      expect(frac.ok && frac.readings[0].ts).toEqual(new Date(now.getTime() - 59_750));
      const packet = parse('devices/d1/telemetry', `{"timestamp":${seconds},"measurements":{"t":1}}`);
      expect(packet.ok && packet.readings[0].ts).toEqual(new Date(now.getTime() - 60_000));
    });

    it('reads an ISO time without a zone as UTC, with a T or a space', () => {
      for (const ts of ['2026-01-15T10:00:00', '2026-01-15 10:00:00', '2026-01-15T10:00:00.000']) {
        const m = parse('devices/d1/x', `{"value":1,"ts":"${ts}"}`);
        expect(m.ok && m.readings[0].ts).toEqual(new Date('2026-01-15T10:00:00Z'));
      }
    });

    it('takes battery_level as the battery', () => {
      const m = parse('devices/d1/telemetry', '{"measurements":{"t":1},"battery_level":55}');
      expect(m.ok && m.device).toEqual({ battery: 55 });
    });

    it('marks a packet without timestamp as stamped with the time of receipt, and one with it as not', () => {
      expect(parse('devices/d1/telemetry', '{"measurements":{"t":1}}')).toMatchObject({ stamped: true });
      const m = parse('devices/d1/telemetry', `{"timestamp":${now.getTime()},"measurements":{"t":1}}`);
      expect(m.ok && 'stamped' in m).toBe(false);
    });
  });

  describe('never throws, whatever arrives (fuzz)', () => {
    const topics = fc.oneof(
      fc.constantFrom(
        'devices/d1/temperature',
        'devices/d1/telemetry',
        'devices/d1/status',
        'devices/d1/cmd',
      ),
      fc.string(),
      fc
        .array(fc.constantFrom('devices', 'd1', 'telemetry', '+', '#', '', 'x/y'), { maxLength: 5 })
        .map((a) => a.join('/')),
    );
    const numbers = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom(1e20, -1e20, 8.64e15 + 1, -8.64e15 - 1, 1.7976931348623157e308, 5e-324, -0),
      fc.integer({ min: now.getTime() - 86_400_000, max: now.getTime() + 60_000 }),
    );
    const tsValues = fc.oneof(
      numbers,
      fc.string(),
      fc.date({ noInvalidDate: false }).map((d) => (isNaN(d.getTime()) ? 'Invalid' : d.toISOString())),
      fc.constantFrom('2026-02-29T00:00:00Z', '0000-01-01T00:00:00Z', '2026-01-15T10:00:00+14:00'),
      fc.constant(null),
    );
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('ok', 'o\u0000k', '\ud800'),
    );
    const json = fc.oneof(
      fc.record({ value: fc.oneof(numbers, text, fc.constant(null)), ts: tsValues }, { requiredKeys: [] }),
      fc.record(
        {
          device_id: fc.oneof(fc.constant('d1'), text),
          timestamp: tsValues,
          measurements: fc.oneof(fc.dictionary(fc.string(), fc.oneof(numbers, text)), fc.anything()),
          status: fc.oneof(text, fc.anything()),
          battery: fc.oneof(numbers, fc.anything()),
          battery_level: fc.oneof(numbers, fc.anything()),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    const payloads = fc.oneof(
      json.map((j) => Buffer.from(JSON.stringify(j) ?? '')),
      numbers.map((n) => Buffer.from(String(n))),
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.string({ unit: 'binary' }).map((t) => Buffer.from(t)),
    );

    it('returns readings or a reason for every input, and every stored value and ts is one PostgreSQL takes', () => {
      fc.assert(
        fc.property(topics, payloads, (topic, payload) => {
          const m = parseMessage(topic, payload, { now });
          if (!m.ok) {
            expect(Object.values(R)).toContain(m.reason);
            expect(m.reason).not.toBe(R.handlerError);
            expect(typeof m.detail).toBe('string');
            return;
          }
          for (const r of m.readings) {
            expect(Number.isFinite(r.value) && Math.abs(r.value) <= MAX_ABS_VALUE).toBe(true);
            expect(Number.isFinite(r.ts.getTime())).toBe(true);
            expect(() => r.ts.toISOString()).not.toThrow();
          }
          // eslint-disable-next-line no-control-regex
          if (m.device?.status !== undefined) expect(m.device.status).not.toMatch(/[\u0000-\u001f]/);
        }),
        { numRuns: 5000 },
      );
    });

    it('parses every valid ISO date-time back to the instant it names, and refuses dates that do not exist', () => {
      fc.assert(
        fc.property(
          fc.date({ min: new Date('1900-01-01Z'), max: new Date('2200-01-01Z'), noInvalidDate: true }),
          (d) => {
            expect(parseIsoTimestamp(d.toISOString())).toBe(d.getTime());
          },
        ),
        { numRuns: 2000 },
      );
      for (const bad of [
        '2026-02-29T00:00:00Z',
        '2026-04-31T00:00:00Z',
        '2026-01-01T00:60:00Z',
        '2026-1-1T00:00Z',
      ])
        expect(parseIsoTimestamp(bad)).toBeUndefined();
      expect(parseIsoTimestamp('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
    });
  });
});
