import { PageTest, settle, setUpPage } from '../../../testing/page-testing';
import { DeadLettersPage } from './dead-letters.page';

describe(DeadLettersPage.name, () => {
  let t: PageTest<DeadLettersPage>;
  let http: PageTest<DeadLettersPage>['http'];
  const letter = (id: string, reason: string, payload: string, extra: object = {}) => ({
    id,
    topic: `devices/gh-1/temperature`,
    deviceId: 'gh-1',
    reason,
    detail: `why ${id}`,
    receivedAt: '2026-01-15T10:30:00.000Z',
    payload,
    payloadEncoding: 'utf8',
    payloadSize: payload.length,
    truncated: false,
    replayedAt: null,
    replayCount: 0,
    ...extra,
  });
  const el = () => t.el();
  const rows = () => [...el().querySelectorAll('tr[data-dead-letter]')];
  const stable = settle;
  const answer = async (items: object[], summary: object[]) => {
    const list = http.expectOne((r) => r.url === '/api/v1/dead-letters');
    const sum = http.expectOne((r) => r.url === '/api/v1/dead-letters/summary');
    list.flush({ items, total: items.length, limit: 50, offset: 0 });
    sum.flush(summary);
    await stable();
    return { list: list.request, summary: sum.request };
  };

  beforeEach(() => {
    t = setUpPage(DeadLettersPage);
    http = t.http;
  });
  afterEach(() => t.done());

  it('shows reason counts and the dead letters; a reason chip filters the list but not the counts', async () => {
    await stable();
    const first = await answer(
      [letter('2', 'INVALID_JSON', '{"value":'), letter('1', 'INVALID_VALUE', 'warm')],
      [
        { reason: 'INVALID_JSON', count: 1 },
        { reason: 'INVALID_VALUE', count: 1 },
      ],
    );
    expect(first.list.params.get('limit')).toBe('50');
    expect(el().querySelector('[data-testid=reason-counts]')!.textContent!.replace(/\s+/g, ' ')).toContain(
      'All 2',
    );
    expect(rows().map((r) => r.querySelector('[data-testid=reason]')!.textContent)).toEqual([
      'INVALID_JSON',
      'INVALID_VALUE',
    ]);

    el().querySelector<HTMLButtonElement>('[data-reason=INVALID_JSON]')!.click();
    await new Promise((r) => setTimeout(r, 350));
    const filtered = await answer(
      [letter('2', 'INVALID_JSON', '{"value":')],
      [{ reason: 'INVALID_JSON', count: 1 }],
    );
    expect(filtered.list.params.get('reason')).toBe('INVALID_JSON');
    expect(filtered.summary.params.has('reason')).toBe(false);
    expect(el().querySelector('[data-reason=INVALID_JSON]')!.getAttribute('aria-pressed')).toBe('true');
  });

  it('replays only after confirmation, and offers no replay for a payload cut when stored', async () => {
    await stable();
    await answer(
      [
        letter('7', 'TIMESTAMP_OUT_OF_RANGE', '{"value":1}'),
        letter('8', 'PAYLOAD_TOO_LARGE', 'x', { truncated: true, payloadSize: 300000 }),
      ],
      [],
    );
    expect(rows()[1].textContent).toContain('not replayable');
    expect(rows()[1].querySelector('[data-testid=replay]')).toBeNull();

    rows()[0].querySelector<HTMLButtonElement>('[data-testid=replay]')!.click();
    await stable();
    http.expectNone((r) => r.url.endsWith('/replay'));
    [...rows()[0].querySelectorAll('button')].find((b) => b.textContent!.includes('Replay now'))!.click();
    const req = http.expectOne('/api/v1/dead-letters/7/replay');
    expect(req.request.method).toBe('POST');
    req.flush({
      id: '7',
      topic: 'devices/gh-1/temperature',
      payloadSize: 11,
      replayedAt: 'x',
      replayCount: 1,
    });
    await stable();
    expect(el().querySelector('[data-testid=notice]')!.textContent).toContain(
      'Replayed to devices/gh-1/temperature',
    );
    await answer(
      [
        letter('7', 'TIMESTAMP_OUT_OF_RANGE', '{"value":1}', {
          replayCount: 1,
          replayedAt: '2026-01-15T10:31:00.000Z',
        }),
      ],
      [],
    );
    expect(rows()[0].textContent).toContain('replayed 1×');
    // the second refresh a second later
    await new Promise((r) => setTimeout(r, 1050));
    await answer([], []);
  });
});
