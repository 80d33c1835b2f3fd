import { replay, RuleLogic, ruleProblems, Sample, step, tick, withRates } from './rule-logic';

const rule = (r: Partial<RuleLogic>): RuleLogic => ({
  condition: 'above',
  threshold: 30,
  thresholdHigh: null,
  clearThreshold: null,
  clearThresholdHigh: null,
  noDataSeconds: null,
  durationSeconds: 0,
  ...r,
});
const series = (values: number[], stepMs = 1000): Sample[] =>
  values.map((value, i) => ({ ts: i * stepMs, value }));
const kinds = (r: RuleLogic, values: number[], stepMs = 1000, until = values.length * stepMs) =>
  replay(r, withRates(series(values, stepMs)), until).map((t) => `${t.kind}@${t.at}`);

describe('ruleProblems', () => {
  it('accepts sound rules', () => {
    expect(ruleProblems(rule({ clearThreshold: 25 }))).toEqual([]);
    expect(ruleProblems(rule({ condition: 'outside', threshold: 0, thresholdHigh: 10 }))).toEqual([]);
    expect(ruleProblems(rule({ condition: 'no_data', threshold: null, noDataSeconds: 60 }))).toEqual([]);
  });

  it('names the field of a rule that could never clear or never fire', () => {
    expect(ruleProblems(rule({ clearThreshold: 31 }))[0].field).toBe('clearThreshold');
    expect(ruleProblems(rule({ condition: 'below', threshold: 5, clearThreshold: 4 }))[0].field).toBe(
      'clearThreshold',
    );
    expect(ruleProblems(rule({ condition: 'outside', threshold: 10, thresholdHigh: 10 }))[0].field).toBe(
      'thresholdHigh',
    );
    expect(
      ruleProblems(
        rule({
          condition: 'outside',
          threshold: 0,
          thresholdHigh: 10,
          clearThreshold: 6,
          clearThresholdHigh: 4,
        }),
      )[0].field,
    ).toBe('clearThresholdHigh');
    expect(ruleProblems(rule({ condition: 'rate', threshold: 0 }))[0].field).toBe('threshold');
    expect(ruleProblems(rule({ condition: 'no_data', threshold: null }))[0].field).toBe('noDataSeconds');
    expect(ruleProblems(rule({ threshold: null }))[0].field).toBe('threshold');
  });
});

describe('the alert state machine', () => {
  it('fires at once without a duration and resolves below the clear threshold only (hysteresis)', () => {
    expect(kinds(rule({ clearThreshold: 25 }), [31, 29, 31, 26, 24, 31])).toEqual([
      'firing@0',
      'resolved@4000',
      'firing@5000',
    ]);
  });

  it('waits for the duration before firing, and cancels a breach that ends sooner', () => {
    const r = rule({ durationSeconds: 2 });
    expect(kinds(r, [31, 31, 31, 31])).toEqual(['pending@0', 'firing@2000']);
    expect(kinds(r, [31, 20, 31])).toEqual(['pending@0', 'cancelled@1000', 'pending@2000']);
  });

  it('fires a pending alert when time passes without readings', () => {
    const r = rule({ durationSeconds: 5 });
    const first = step(r, null, { ts: 0, value: 40 });
    expect(tick(r, first.open, 4000).out).toEqual([]);
    expect(tick(r, first.open, 5000).out).toEqual([{ kind: 'firing', at: 5000, value: 40 }]);
  });

  it('needs the clear condition to hold for the duration before resolving', () => {
    const r = rule({ durationSeconds: 2 });
    expect(kinds(r, [31, 31, 31, 20, 31, 20, 20, 20], 1000, 7000)).toEqual([
      'pending@0',
      'firing@2000',
      'clearing@3000',
      'unclearing@4000',
      'clearing@5000',
      'resolved@7000',
    ]);
  });

  it('watches outside a band and the rate of change per minute', () => {
    expect(kinds(rule({ condition: 'outside', threshold: 0, thresholdHigh: 10 }), [5, 11, 5, -1, 5])).toEqual(
      ['firing@1000', 'resolved@2000', 'firing@3000', 'resolved@4000'],
    );
    // 1 unit per second = 60 per minute
    expect(
      kinds(rule({ condition: 'rate', threshold: 30, clearThreshold: 10 }), [0, 1, 2, 2.1, 2.2]),
    ).toEqual(['firing@1000', 'resolved@3000']);
  });

  it('replays silent gaps of a no-data rule', () => {
    const r = rule({ condition: 'no_data', threshold: null, noDataSeconds: 5 });
    expect(
      replay(
        r,
        series([1, 1]).map((s, i) => ({ ...s, ts: i * 10_000 })),
        12_000,
      ).map((t) => `${t.kind}@${t.at}`),
    ).toEqual(['firing@5000', 'resolved@10000']);
  });
});
