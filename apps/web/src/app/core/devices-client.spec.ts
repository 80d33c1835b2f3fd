import { useClient } from '../../testing/page-testing';
import { DevicesClient } from './devices-client';

describe(DevicesClient.name, () => {
  const t = useClient(DevicesClient);

  it('shows a page of devices with their latest values sorted by metric, and the offline rule in use', async () => {
    const p = t.api.devicesPage({ limit: 50, offset: 0, q: 'green' });
    const req = t.http.expectOne((r) => r.url === '/api/v1/devices');
    expect(req.request.params.get('q')).toBe('green');
    req.flush({
      items: [
        {
          id: 'gh-1',
          name: 'Greenhouse',
          location: null,
          metadata: {},
          firstSeen: '2026-01-01T00:00:00.000Z',
          lastSeen: '2026-01-15T10:30:00.000Z',
          online: true,
          status: 'ok',
          battery: 87,
          latest: {
            temperature: { value: 23.5, ts: '2026-01-15T10:29:00.000Z' },
            humidity: { value: 41, ts: '2026-01-15T10:30:00.000Z' },
          },
        },
      ],
      total: 1,
      limit: 50,
      offset: 0,
      fleetTotal: 3,
      fleetOnline: 2,
      offlineAfterSeconds: 120,
    });
    const page = await p;
    expect(page).toMatchObject({ total: 1, fleetTotal: 3, fleetOnline: 2, offlineAfterMs: 120_000 });
    const [gh] = page.items;
    expect(gh).toMatchObject({ id: 'gh-1', name: 'Greenhouse', online: true, battery: 87, location: null });
    expect(gh.lastSeen).toBe(Date.parse('2026-01-15T10:30:00.000Z'));
    expect(gh.metrics).toEqual([
      { metric: 'humidity', value: 41, ts: Date.parse('2026-01-15T10:30:00.000Z') },
      { metric: 'temperature', value: 23.5, ts: Date.parse('2026-01-15T10:29:00.000Z') },
    ]);
  });

  it('sends a device command and reports what was published', async () => {
    const p = t.api.sendCommand('gh-1', { command: 'interval', seconds: 30 });
    const req = t.http.expectOne('/api/v1/devices/gh-1/commands');
    expect(req.request.body).toEqual({ command: 'interval', seconds: 30 });
    req.flush({ topic: 'devices/gh-1/cmd', payload: '{"command":"interval","seconds":30}' });
    expect(await p).toEqual({ topic: 'devices/gh-1/cmd', payload: '{"command":"interval","seconds":30}' });
  });
});
