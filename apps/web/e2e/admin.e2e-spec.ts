// Administration: what a viewer may not reach, users and API keys, password resets.
// Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';

import { login, navigation, PHONE, shot, useStack } from './support';

const env = useStack();
const { newPage, apiLogin } = env;

describe('admin', () => {
  it('does not let a viewer reach the admin pages, in the UI or through the API', async () => {
    const { stack } = env;
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.viewer);
    await page.goto(stack.baseUrl + '/admin/users');
    await page.waitForURL(/\/devices\?denied=1/);
    await page.waitForSelector('text=That page is for administrators');
    await page.goto(stack.baseUrl + '/admin/api-keys');
    await page.waitForURL(/\/devices\?denied=1/);
    const status = await page.evaluate(async () => {
      const s = JSON.parse(localStorage.getItem('sensorhub.session')!);
      return (await fetch('/api/v1/users', { headers: { Authorization: `Bearer ${s.token}` } })).status;
    });
    assert.equal(status, 403);
    await shot(page, '05-viewer-denied');
    await page.context().close();
  });

  it('lets an admin manage users and API keys', async () => {
    const { stack } = env;
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.admin);
    const nav = await navigation(page);
    assert.deepEqual(nav, ['Devices', 'Alerts', 'Dead letters', 'Users', 'API keys']);

    await page.click('[data-nav="/admin/users"]');
    await page.waitForSelector('[data-testid=users-table]');
    for (const u of Object.values(stack.users)) await page.waitForSelector(`tr[data-user="${u.email}"]`);
    await page.fill('[data-testid=create-user] input[name=email]', 'new.person@sensorhub.test');
    await page.fill('[data-testid=create-user] input[name=password]', 'a-long-enough-password');
    await page.selectOption('[data-testid=create-user] select[name=role]', 'operator');
    await page.click('[data-testid=create-user] button[type=submit]');
    await page.waitForSelector('tr[data-user="new.person@sensorhub.test"]');
    await page.click('tr[data-user="new.person@sensorhub.test"] button:has-text("Disable")');
    await page.waitForSelector('tr[data-user="new.person@sensorhub.test"] >> text=Disabled');
    const { rows } = await stack.db.query(
      `SELECT role, disabled FROM users WHERE email = 'new.person@sensorhub.test'`,
    );
    assert.deepEqual(rows[0], { role: 'operator', disabled: true });
    await shot(page, '12-admin-users');

    await page.click('[data-nav="/admin/api-keys"]');
    await page.waitForSelector('text=No API keys yet');
    await shot(page, '13-admin-api-keys-empty');
    await page.fill('[data-testid=create-key] input[name=name]', 'billing export');
    await page.fill('[data-testid=key-devices]', stack.devices[0].id);
    await page.click('[data-testid=create-key] button[type=submit]');
    const key = (await page.locator('[data-testid=new-key] code.key').textContent())!.trim();
    assert.ok(key.length > 20);
    const ok = await fetch(`${stack.baseUrl}/api/v1/devices`, { headers: { 'X-API-Key': key } });
    assert.equal(ok.status, 200);
    // bound to one device: it sees only that one, and another device is 403
    // expect, not assert: fetch's JSON is of another realm than this file's (Jest's sandbox)
    expect(((await ok.json()) as { items: { id: string }[] }).items.map((d) => d.id)).toEqual([
      stack.devices[0].id,
    ]);
    const other = await fetch(`${stack.baseUrl}/api/v1/devices/${stack.devices[1].id}`, {
      headers: { 'X-API-Key': key },
    });
    assert.equal(other.status, 403);
    assert.equal(
      (await page.textContent('tr[data-key="billing export"] [data-testid=key-device-scopes]'))!.trim(),
      stack.devices[0].id,
    );
    await shot(page, '14-admin-api-key-created');
    await page.click('[data-testid=new-key] button:has-text("Done")');
    await page.waitForSelector('[data-testid=new-key]', { state: 'detached' });
    assert.equal(await page.getByText(key).count(), 0, 'the key is shown once');
    await page.click('tr[data-key="billing export"] button:has-text("Revoke")');
    await page.click('tr[data-key="billing export"] button:has-text("Revoke now")');
    await page.waitForSelector('tr[data-key="billing export"] >> text=Revoked');
    const revoked = await fetch(`${stack.baseUrl}/api/v1/devices`, { headers: { 'X-API-Key': key } });
    assert.equal(revoked.status, 401);
    await page.context().close();
  });

  it("lets an admin reset a user's password, showing the API's rule when it is too short", async () => {
    const { stack } = env;
    const email = 'reset.me@sensorhub.test';
    const admin = await apiLogin(stack.users.admin.email, stack.users.admin.password);
    const created = await fetch(`${stack.baseUrl}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.body!.accessToken}` },
      body: JSON.stringify({ email, password: 'the-initial-password', role: 'viewer' }),
    });
    assert.equal(created.status, 201);

    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.admin, '/admin/users');
    const row = page.locator(`tr[data-user="${email}"]`);
    await row.locator('button:has-text("Reset password")').click();
    const reset = page.locator(`tr[data-reset="${email}"]`);
    await reset.locator('input[name=newPassword]').fill('too-short');
    await reset.locator('button[type=submit]').click();
    assert.match(
      (await reset.locator('.alert.error').textContent())!,
      /password must be longer than or equal to 12 characters/,
    );
    await shot(page, '24-admin-reset-password-error');
    assert.equal((await apiLogin(email, 'too-short')).status, 401);

    await reset.locator('input[name=newPassword]').fill('a-brand-new-password');
    await reset.locator('button[type=submit]').click();
    await reset.locator('.alert.success').waitFor();
    assert.match((await reset.textContent())!, /Password changed/);
    assert.equal(await reset.locator('input').count(), 0, 'the form closes');
    await shot(page, '25-admin-reset-password-done');
    await page.context().close();

    const fresh = await apiLogin(email, 'a-brand-new-password');
    assert.ok(fresh.status < 300, `login with the new password: ${fresh.status}`);
    assert.equal(fresh.body!.user.email, email);
    assert.equal((await apiLogin(email, 'the-initial-password')).status, 401, 'the old password is gone');

    // and through the login form
    const user = await newPage();
    await login(user, stack.baseUrl, { email, password: 'a-brand-new-password' });
    assert.equal((await user.textContent('[data-testid=role]'))!, 'viewer');
    await user.context().close();

    const phone = await newPage(PHONE);
    await login(phone, stack.baseUrl, stack.users.admin, '/admin/users');
    await phone.locator(`tr[data-user="${email}"] button:has-text("Reset password")`).click();
    await phone.locator(`tr[data-reset="${email}"] input[name=newPassword]`).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
    await shot(phone, '26-phone-users-reset');

    // a block per row: every user's and key's status and actions are on the screen, not scrolled off to the right
    const onScreen = (sel: string) =>
      phone.$$eval(sel, (els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;
        }),
      );
    const users = await onScreen('[data-testid=users-table] tr[data-user] :is(.badge, button, select)');
    assert.ok(users.length >= 3 * Object.keys(stack.users).length, `${users.length} controls`);
    assert.ok(users.every(Boolean), `users' status and actions on screen: ${users}`);
    await phone.goto(stack.baseUrl + '/admin/api-keys');
    await phone.locator('tr[data-key="billing export"]').waitFor();
    const keys = await onScreen('[data-testid=keys-table] tr[data-key] :is(.badge, button)');
    assert.ok(keys.length >= 1 && keys.every(Boolean), `keys' status and actions on screen: ${keys}`);
    await shot(phone, '48-phone-api-keys');
    await phone.context().close();
  });
});
