import { WindowThrottlerStorage } from './window-storage';

describe(WindowThrottlerStorage.name, () => {
  let now = 1_000_000;
  let storage: WindowThrottlerStorage;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    storage = new WindowThrottlerStorage();
  });
  afterEach(() => {
    storage.stop();
    jest.restoreAllMocks();
  });
  const hit = (key = 'a', ttl = 60_000, limit = 3, block = 60_000) =>
    storage.increment(key, ttl, limit, block, 'default');

  it('counts hits per key within the window and blocks past the limit until the block expires', async () => {
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    await hit();
    now += 10_000;
    expect(await hit()).toMatchObject({ totalHits: 3, timeToExpire: 50, isBlocked: false });
    expect(await hit()).toEqual({ totalHits: 4, timeToExpire: 50, isBlocked: true, timeToBlockExpire: 60 });
    expect(await hit('b')).toMatchObject({ totalHits: 1, isBlocked: false }); // another client is not affected
    now += 55_000; // the window ended, the block did not
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 5 });
    now += 5_000;
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('starts a new window when the old one ended', async () => {
    for (let i = 0; i < 3; i++) await hit();
    now += 60_000;
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('forgets ended windows and expired blocks, keeping active ones', async () => {
    await hit('old', 1000);
    for (let i = 0; i < 3; i++) await hit('blocked', 1000, 2, 120_000);
    await hit('active', 60_000);
    now += 2000;
    storage.sweep(now);
    expect(storage.size).toBe(2); // blocked and active
    now += 120_000;
    storage.sweep(now);
    expect(storage.size).toBe(0);
  });
});
