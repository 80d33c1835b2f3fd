// Alerts: a rule fires from an MQTT reading, is acknowledged and resolves.
// Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';

import { login, shot, useStack, waitFor } from './support';

const env = useStack();
const { newPage, apiLogin } = env;

describe('alerts', () => {
  it('fires an alert from an MQTT reading, counts it in the top bar, takes an acknowledgement and resolves', async () => {
    const { stack } = env;
    const id = stack.devices[0].id;
    const { body } = await apiLogin(stack.users.operator.email, stack.users.operator.password);
    const res = await fetch(`${stack.baseUrl}/api/v1/alert-rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${body!.accessToken}` },
      body: JSON.stringify({
        name: 'Greenhouse too hot',
        scope: 'device',
        scopeDeviceId: id,
        metric: 'e2e_temp',
        condition: 'above',
        threshold: 40,
        clearThreshold: 35,
        severity: 'critical',
      }),
    });
    assert.equal(res.status, 201);
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.operator, '/alerts');
    await waitFor(
      () => page.evaluate(() => document.querySelector('.live.open') !== null),
      10_000,
      'live stream open',
    );
    const row = page.locator('tr[data-rule="Greenhouse too hot"]');
    await stack.publish(`devices/${id}/e2e_temp`, { value: 45.5, ts: new Date().toISOString() });
    await row.and(page.locator('[data-state=firing]')).waitFor({ timeout: 15_000 });
    assert.equal((await page.locator('[data-testid=alert-badge]').textContent())!.trim(), '1');
    assert.match((await row.textContent())!, /critical.*firing.*e2e_temp 45\.5/s);
    await shot(page, '30-alerts-firing');

    await row.locator('[data-testid=ack]').click();
    await row.locator('[data-testid=ack-note]').fill('vents opened');
    await row.locator('button[type=submit]').click();
    await row.locator('[data-testid=acked]').waitFor();
    assert.match((await row.textContent())!, /operator@sensorhub\.test.*vents opened/s);

    // 38 is inside the hysteresis band: still firing; 30 clears it
    await stack.publish(`devices/${id}/e2e_temp`, { value: 38, ts: new Date().toISOString() });
    await stack.publish(`devices/${id}/e2e_temp`, { value: 30, ts: new Date(Date.now() + 1).toISOString() });
    await row.and(page.locator('[data-state=resolved]')).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=alert-badge]').waitFor({ state: 'detached' });
    await shot(page, '31-alerts-resolved');
    await page.context().close();
  });
});
