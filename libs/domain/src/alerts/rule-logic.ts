import { AlertCondition } from '@sensorhub/contracts';

/** The part of a rule that decides its transitions. */
export interface RuleLogic {
  condition: AlertCondition;
  threshold: number | null;
  thresholdHigh: number | null;
  clearThreshold: number | null;
  clearThresholdHigh: number | null;
  noDataSeconds: number | null;
  durationSeconds: number;
}

/** A reading as the evaluator sees it; `rate` (units per minute since the previous reading) only for rate rules. */
export interface Sample {
  ts: number;
  value: number;
  rate?: number | null;
}

/** The open (pending or firing) alert of one (rule, device), or null. */
export interface OpenState {
  state: 'pending' | 'firing';
  startedAt: number;
  clearSince: number | null;
  value: number | null;
}

export type TransitionKind = 'pending' | 'firing' | 'resolved' | 'cancelled' | 'clearing' | 'unclearing';

export interface Transition {
  kind: TransitionKind;
  at: number;
  value: number | null;
}

/** Field-level problems that make a rule unable to fire or to clear (empty when it is sound). */
export function ruleProblems(r: RuleLogic): { field: string; errors: string[] }[] {
  const out: { field: string; errors: string[] }[] = [];
  const bad = (field: string, msg: string) => out.push({ field, errors: [msg] });
  const finite = (v: number | null) => v !== null && Number.isFinite(v);
  const clear = r.clearThreshold ?? r.threshold;
  switch (r.condition) {
    case 'above':
    case 'below':
      if (!finite(r.threshold)) bad('threshold', `a rule "${r.condition}" needs a threshold`);
      else if (r.condition === 'above' && clear! > r.threshold!)
        bad(
          'clearThreshold',
          'must be at most threshold, or the alert could clear while above it (never settles)',
        );
      else if (r.condition === 'below' && clear! < r.threshold!)
        bad(
          'clearThreshold',
          'must be at least threshold, or the alert could clear while below it (never settles)',
        );
      break;
    case 'outside': {
      if (!finite(r.threshold)) bad('threshold', 'a rule "outside" needs threshold (the low end)');
      if (!finite(r.thresholdHigh))
        bad('thresholdHigh', 'a rule "outside" needs thresholdHigh (the high end)');
      if (out.length) break;
      if (r.threshold! >= r.thresholdHigh!) {
        bad(
          'thresholdHigh',
          'must be greater than threshold, or every value is outside and the alert never clears',
        );
        break;
      }
      const lo = r.clearThreshold ?? r.threshold!;
      const hi = r.clearThresholdHigh ?? r.thresholdHigh!;
      if (lo < r.threshold!)
        bad('clearThreshold', 'must be at least threshold (the clear band lies inside the range)');
      if (hi > r.thresholdHigh!)
        bad('clearThresholdHigh', 'must be at most thresholdHigh (the clear band lies inside the range)');
      if (lo > hi) bad('clearThresholdHigh', 'must be at least clearThreshold, or the alert can never clear');
      break;
    }
    case 'rate':
      if (!finite(r.threshold) || r.threshold! <= 0)
        bad(
          'threshold',
          'a rule "rate" needs a threshold > 0 (units per minute), or it fires on every reading',
        );
      else if (clear! <= 0)
        bad('clearThreshold', 'must be > 0: an absolute rate is never below 0, so it never clears');
      else if (clear! > r.threshold!) bad('clearThreshold', 'must be at most threshold');
      break;
    case 'no_data':
      if (r.noDataSeconds === null || !Number.isInteger(r.noDataSeconds) || r.noDataSeconds < 1)
        bad('noDataSeconds', 'a rule "no_data" needs noDataSeconds ≥ 1');
      break;
  }
  return out;
}

/** true: the reading breaches the rule; null: cannot tell (a rate without a previous reading). */
export function breaches(r: RuleLogic, s: Sample): boolean | null {
  switch (r.condition) {
    case 'above':
      return s.value > r.threshold!;
    case 'below':
      return s.value < r.threshold!;
    case 'outside':
      return s.value < r.threshold! || s.value > r.thresholdHigh!;
    case 'rate':
      return s.rate === null || s.rate === undefined ? null : Math.abs(s.rate) > r.threshold!;
    case 'no_data':
      return false;
  }
}

/** true: the reading is past the clear threshold (hysteresis: between it and the threshold nothing changes). */
export function clears(r: RuleLogic, s: Sample): boolean {
  switch (r.condition) {
    case 'above':
      return s.value < (r.clearThreshold ?? r.threshold!);
    case 'below':
      return s.value > (r.clearThreshold ?? r.threshold!);
    case 'outside':
      return (
        s.value >= (r.clearThreshold ?? r.threshold!) && s.value <= (r.clearThresholdHigh ?? r.thresholdHigh!)
      );
    case 'rate':
      return s.rate !== null && s.rate !== undefined && Math.abs(s.rate) < (r.clearThreshold ?? r.threshold!);
    case 'no_data':
      return true; // any reading ends a no-data alert
  }
}

/**
 * One reading through the state machine of one (rule, device): pending while the condition holds for less than the
 * rule's duration, firing after, resolved once the clear condition held for the duration. Pure; the processor and
 * the preview share it.
 */
export function step(
  r: RuleLogic,
  open: OpenState | null,
  s: Sample,
): { open: OpenState | null; out: Transition[] } {
  const dur = r.durationSeconds * 1000;
  const out: Transition[] = [];
  if (!open) {
    if (breaches(r, s) !== true) return { open, out };
    if (dur === 0) {
      out.push({ kind: 'firing', at: s.ts, value: s.value });
      return { open: { state: 'firing', startedAt: s.ts, clearSince: null, value: s.value }, out };
    }
    out.push({ kind: 'pending', at: s.ts, value: s.value });
    return { open: { state: 'pending', startedAt: s.ts, clearSince: null, value: s.value }, out };
  }
  if (open.state === 'pending') {
    const b = breaches(r, s);
    if (b === false) {
      out.push({ kind: 'cancelled', at: s.ts, value: s.value });
      return { open: null, out };
    }
    if (b && s.ts - open.startedAt >= dur) {
      out.push({ kind: 'firing', at: s.ts, value: s.value });
      return { open: { ...open, state: 'firing', value: s.value }, out };
    }
    return { open, out };
  }
  // firing
  if (clears(r, s)) {
    const since = open.clearSince ?? s.ts;
    if (r.condition === 'no_data' || s.ts - since >= dur) {
      out.push({ kind: 'resolved', at: s.ts, value: s.value });
      return { open: null, out };
    }
    if (open.clearSince === null) out.push({ kind: 'clearing', at: s.ts, value: s.value });
    return { open: { ...open, clearSince: since }, out };
  }
  if (open.clearSince !== null) {
    out.push({ kind: 'unclearing', at: s.ts, value: s.value });
    return { open: { ...open, clearSince: null }, out };
  }
  return { open, out };
}

/** Time passing without readings: a pending alert fires, a clearing one resolves, once the duration is over. */
export function tick(
  r: RuleLogic,
  open: OpenState | null,
  now: number,
): { open: OpenState | null; out: Transition[] } {
  const dur = r.durationSeconds * 1000;
  if (open?.state === 'pending' && now - open.startedAt >= dur)
    return { open: { ...open, state: 'firing' }, out: [{ kind: 'firing', at: now, value: open.value }] };
  if (open?.state === 'firing' && open.clearSince !== null && now - open.clearSince >= dur)
    return { open: null, out: [{ kind: 'resolved', at: now, value: open.value }] };
  return { open, out: [] };
}

/** Adds the per-minute rate to readings sorted by ts (the first gets `prev`'s, or null without one). */
export function withRates(
  samples: { ts: number; value: number }[],
  prev?: { ts: number; value: number },
): Sample[] {
  let p = prev;
  return samples.map((s) => {
    const rate = p && s.ts > p.ts ? ((s.value - p.value) / (s.ts - p.ts)) * 60_000 : null;
    p = s;
    return { ...s, rate };
  });
}

/** Replays readings (sorted by ts) through a rule, with time passing to `until`: what a draft rule would have done. */
export function replay(r: RuleLogic, samples: Sample[], until: number): Transition[] {
  let open: OpenState | null = null;
  const all: Transition[] = [];
  for (const s of samples) {
    const t = tick(r, open, s.ts);
    open = t.open;
    all.push(...t.out);
    const res = step(r, open, s);
    open = res.open;
    all.push(...res.out);
  }
  const end = tick(r, open, until);
  all.push(...end.out);
  if (r.condition === 'no_data') {
    // silent gaps longer than noDataSeconds would have fired; the next reading resolved them
    const gap = r.noDataSeconds! * 1000;
    const out: Transition[] = [];
    for (let i = 1; i <= samples.length; i++) {
      const prevTs = samples[i - 1].ts;
      const nextTs = i < samples.length ? samples[i].ts : until;
      if (nextTs - prevTs > gap) {
        out.push({ kind: 'firing', at: prevTs + gap, value: null });
        if (i < samples.length) out.push({ kind: 'resolved', at: nextTs, value: samples[i].value });
      }
    }
    return out;
  }
  return all;
}
