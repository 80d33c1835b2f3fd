import { draftOf, fieldErrors, fieldsOf } from './rule-form';

describe('rule editor fields', () => {
  it('sends only what the condition uses, numbers as numbers, empty fields left out', () => {
    const f = fieldsOf(null);
    Object.assign(f, { name: ' Hot ', scopeDeviceId: 'gh-1', metric: 'temperature', threshold: '40' });
    f.thresholdHigh = '99'; // not used by "above"
    expect(draftOf(f)).toEqual({
      name: 'Hot',
      scope: 'device',
      scopeDeviceId: 'gh-1',
      metric: 'temperature',
      condition: 'above',
      threshold: 40,
      clearThreshold: undefined,
      durationSeconds: 0,
      severity: 'warning',
      enabled: true,
      actions: [],
    });
  });

  it('round-trips a rule with an outside range, metadata scope and actions', () => {
    const rule = {
      id: 'r1',
      updatedAt: 0,
      name: 'Band',
      scope: 'metadata' as const,
      scopeKey: 'site',
      scopeValue: 'greenhouse',
      metric: 'humidity',
      condition: 'outside' as const,
      threshold: 20,
      thresholdHigh: 80,
      clearThreshold: 25,
      clearThresholdHigh: 75,
      durationSeconds: 300,
      severity: 'critical' as const,
      enabled: false,
      actions: [
        { type: 'mqtt' as const, topic: 'devices/{deviceId}/cmd' },
        { type: 'webhook' as const, url: 'https://example.test/hook' },
      ],
    };
    const { id, updatedAt, ...draft } = rule;
    expect(id && updatedAt === 0).toBeTruthy();
    expect(draftOf(fieldsOf(rule))).toEqual(draft);
  });

  it('keeps a value that is not a number as typed, so the API names the field', () => {
    const f = fieldsOf(null);
    f.threshold = 'abc';
    expect(draftOf(f).threshold).toBe('abc');
  });

  it("keys a 400's field errors the way the editor names fields", () => {
    const e = {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'x',
      details: [
        { field: 'clearThreshold', errors: ['must be at most threshold'] },
        { field: 'actions[1].url', errors: ['webhooks need ALERT_WEBHOOK_SECRET'] },
        { field: 'actions.0.topic', errors: ['a', 'b'] },
      ],
    };
    expect(fieldErrors(e)).toEqual({
      clearThreshold: 'must be at most threshold',
      'actions.1.url': 'webhooks need ALERT_WEBHOOK_SECRET',
      'actions.0.topic': 'a; b',
    });
    expect(fieldErrors({ ...e, statusCode: 403 })).toEqual({});
  });
});
