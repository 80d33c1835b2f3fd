import { LiveNotification, LiveReadingRow } from '@sensorhub/contracts';

import { encodeLive, LIVE_PAYLOAD_LIMIT } from './live';

describe(encodeLive.name, () => {
  it('splits a large batch into payloads PostgreSQL accepts and loses no reading', () => {
    const readings: LiveReadingRow[] = Array.from({ length: 2000 }, (_, i) => [
      `dev-${i % 37}`,
      'temperature',
      1767225600000 + i,
      i / 10,
    ]);
    const payloads = encodeLive(readings, [{ id: 'dev-1', lastSeen: 1767225600000, online: true }]);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(LIVE_PAYLOAD_LIMIT);
    const decoded = payloads.map((p) => JSON.parse(p) as LiveNotification);
    expect(decoded.flatMap((d) => d.readings)).toEqual(readings);
    expect(decoded.flatMap((d) => d.devices).map((d) => d.id)).toEqual(['dev-1']);
  });

  it('writes each reading as JSON.stringify would, whatever its id holds, and keeps every payload under the limit', () => {
    const readings: LiveReadingRow[] = Array.from({ length: 600 }, (_, i) => [
      ['plain-id_1', 'quote"back\\slash', 'ünïcødé-😀', 'tab\tnew\nline'][i % 4],
      i % 2 ? 'temperature' : 'Metric "x"',
      1767225600000 + i,
      [i / 7, -0, 1e21, Number.NaN][i % 4],
    ]);
    const payloads = encodeLive(readings, [{ id: 'dev-1', lastSeen: 1767225600000, status: 'ünïcødé' }]);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(LIVE_PAYLOAD_LIMIT);
      expect(p.replace(/ünïcødé/g, '')).toMatch(/^[ -~]*$/); // printable ASCII but the device status
    }
    const decoded = payloads.map((p) => JSON.parse(p) as LiveNotification).flatMap((d) => d.readings);
    expect(decoded).toEqual(JSON.parse(JSON.stringify(readings)));
  });

  it('sends nothing for an empty batch', () => {
    expect(encodeLive([], [])).toEqual([]);
  });
});
