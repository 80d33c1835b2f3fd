import { useClient } from '../../testing/page-testing';
import { ReadingsClient, toSeries } from './readings-client';

describe(ReadingsClient.name, () => {
  const t = useClient(ReadingsClient);

  it('asks for readings in UTC ISO times with the chart width and time zone, and reads buckets back', async () => {
    const p = t.api.readings('gh 1', {
      metric: 'temperature',
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 0, 2),
      maxPoints: 700,
      tz: 'Europe/Berlin',
    });
    const req = t.http.expectOne((r) => r.url === '/api/v1/devices/gh%201/readings');
    expect(req.request.params.get('from')).toBe('2026-01-01T00:00:00.000Z');
    expect(req.request.params.get('to')).toBe('2026-01-02T00:00:00.000Z');
    expect(req.request.params.get('maxPoints')).toBe('700');
    expect(req.request.params.get('tz')).toBe('Europe/Berlin');
    req.flush({
      deviceId: 'gh 1',
      metric: 'temperature',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
      tz: 'Europe/Berlin',
      bucketSeconds: 120,
      points: [
        { ts: '2026-01-01T00:00:00.000Z', min: 0, avg: 1, max: 2, count: 2 },
        { ts: '2026-01-01T00:02:00.000Z', min: 1, avg: 2, max: 3, count: 4 },
      ],
    });
    const s = await p;
    expect(s).toMatchObject({ metric: 'temperature', downsampled: true, bucketMs: 120_000 });
    expect(s.points).toEqual([
      { t: Date.UTC(2026, 0, 1), min: 0, avg: 1, max: 2, count: 2 },
      { t: Date.UTC(2026, 0, 1, 0, 2), min: 1, avg: 2, max: 3, count: 4 },
    ]);
  });

  it('reads raw readings (no bucket width) as points whose band is the value itself', () => {
    const s = toSeries({
      deviceId: 'gh-1',
      metric: 'co2',
      from: '1970-01-01T00:00:00.000Z',
      to: '1970-01-01T00:01:00.000Z',
      tz: null,
      bucketSeconds: null,
      points: [
        { ts: '1970-01-01T00:00:01.000Z', min: 5, avg: 5, max: 5, count: 1 },
        { ts: '1970-01-01T00:00:03.000Z', min: 7, avg: 7, max: 7, count: 1 },
      ],
    });
    expect(s).toEqual({
      metric: 'co2',
      downsampled: false,
      bucketMs: null,
      points: [
        { t: 1000, avg: 5, min: 5, max: 5, count: 1 },
        { t: 3000, avg: 7, min: 7, max: 7, count: 1 },
      ],
    });
  });

  it('exports every metric in one request, or joins the CSVs of the chosen metrics under one header', async () => {
    const all = t.api.exportCsv('gh-1', null, 0, 60_000);
    const one = t.http.expectOne((r) => r.url === '/api/v1/devices/gh-1/readings/export');
    expect(one.request.params.has('metric')).toBe(false);
    expect(one.request.params.get('from')).toBe('1970-01-01T00:00:00.000Z');
    one.flush('device_id,metric,ts,value\ngh-1,a,t,1\n');
    expect(await (await all).text()).toBe('device_id,metric,ts,value\ngh-1,a,t,1\n');

    const some = t.api.exportCsv('gh-1', ['a', 'b'], 0, 60_000);
    const reqs = t.http.match((r) => r.url === '/api/v1/devices/gh-1/readings/export');
    expect(reqs.map((r) => r.request.params.get('metric'))).toEqual(['a', 'b']);
    reqs[0].flush('device_id,metric,ts,value\ngh-1,a,t,1\n');
    reqs[1].flush('device_id,metric,ts,value\ngh-1,b,t,2\n');
    const blob = await some;
    expect(blob.type).toBe('text/csv');
    expect(await blob.text()).toBe('device_id,metric,ts,value\ngh-1,a,t,1\ngh-1,b,t,2\n');
  });

  it('asks for several device:metric series in one request and reads each back with its device', async () => {
    expect(await t.api.series([], { from: 0, to: 1, maxPoints: 100 })).toEqual([]);
    const p = t.api.series(
      [
        { deviceId: 'gh-1', metric: 'temperature' },
        { deviceId: 'cold', metric: 'temperature' },
      ],
      { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2), maxPoints: 500 },
    );
    const req = t.http.expectOne((r) => r.url === '/api/v1/series');
    expect(req.request.params.get('series')).toBe('gh-1:temperature,cold:temperature');
    expect(req.request.params.get('maxPoints')).toBe('500');
    expect(req.request.params.has('tz')).toBe(false);
    // charts need no more than 6 significant digits: the answer is half the size
    expect(req.request.params.get('digits')).toBe('6');
    const one = (deviceId: string, v: number) => ({
      deviceId,
      metric: 'temperature',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
      tz: null,
      bucketSeconds: null,
      points: [{ ts: '2026-01-01T10:00:00.000Z', min: v, avg: v, max: v, count: 1 }],
    });
    req.flush({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
      tz: null,
      series: [one('gh-1', 21), one('cold', -19)],
    });
    const got = await p;
    expect(got.map((s) => [s.deviceId, s.downsampled, s.points[0].avg])).toEqual([
      ['gh-1', false, 21],
      ['cold', false, -19],
    ]);
  });
});
