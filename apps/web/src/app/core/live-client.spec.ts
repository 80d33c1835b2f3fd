import { useClient } from '../../testing/page-testing';
import { LiveClient } from './live-client';

describe(LiveClient.name, () => {
  const t = useClient(LiveClient);

  it('opens the live stream with a ticket, and hands on its readings and device events as the API sends them', async () => {
    const u = t.api.liveUrl();
    t.http.expectOne('/api/v1/live/ticket').flush({ ticket: 'a b', expiresIn: 30 });
    expect(await u).toBe('/api/v1/live?ticket=a%20b');

    const reading = { deviceId: 'gh-1', metric: 'temperature', ts: '2026-01-15T10:30:00.000Z', value: 21 };
    expect(t.api.parseLive('readings', JSON.stringify([reading]))).toEqual({
      readings: [reading],
      devices: [],
    });
    const device = { id: 'gh-1', lastSeen: '2026-01-15T10:30:00.000Z', online: false, battery: 9 };
    expect(t.api.parseLive('devices', JSON.stringify([device])).devices).toEqual([device]);
    expect(t.api.parseLive('heartbeat', '[]')).toEqual({ readings: [], devices: [] });
    expect(t.api.parseLive('readings', '{"not":"a list"}')).toEqual({ readings: [], devices: [] });
  });
});
