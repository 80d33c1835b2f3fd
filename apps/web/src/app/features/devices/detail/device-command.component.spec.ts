import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { DeviceCommandComponent } from './device-command.component';

describe(DeviceCommandComponent.name, () => {
  let fixture: ComponentFixture<DeviceCommandComponent>;
  let http: HttpTestingController;

  const el = () => fixture.nativeElement as HTMLElement;
  const text = (sel: string) => el().querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim();
  const stable = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 0));
      TestBed.tick();
    }
  };
  const pick = async (c: string) => {
    el().querySelector<HTMLButtonElement>(`[data-command=${c}]`)!.click();
    await stable();
  };
  const submit = async () => {
    el().querySelector('form')!.dispatchEvent(new Event('submit'));
    await stable();
  };

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(DeviceCommandComponent);
    fixture.componentRef.setInput('deviceId', 'gh 1');
    await stable();
  });
  afterEach(() => http.verify());

  it('pings the device and says when the command was sent', async () => {
    await submit();
    const req = http.expectOne('/api/v1/devices/gh%201/commands');
    expect(req.request.body).toEqual({ command: 'ping' });
    req.flush({ topic: 'devices/gh 1/cmd', payload: '{"command":"ping"}' });
    await stable();
    expect(text('[data-testid=command-result]')).toMatch(/^Sent ping at .*, no acknowledgement/);
    expect(el().querySelector('[data-testid=command-offline]')).toBeNull();
  });

  it('asks before rebooting, and sends nothing on cancel', async () => {
    await pick('reboot');
    await submit();
    expect(text('.confirm')).toBe('Reboot the device now?');
    el().querySelectorAll<HTMLButtonElement>('form button.small')[1].click(); // the one after "Reboot now"
    await stable();
    expect(el().querySelector('.confirm')).toBeNull();

    await submit();
    el().querySelector<HTMLButtonElement>('[data-testid=confirm-reboot]')!.click();
    await stable();
    http.expectOne('/api/v1/devices/gh%201/commands').flush({ topic: 't', payload: '{}' });
    await stable();
    expect(text('[data-testid=command-result]')).toMatch(/^Sent reboot at /);
  });

  it('sends a new reporting interval, refusing one out of range without asking the API', async () => {
    await pick('interval');
    const seconds = el().querySelector<HTMLInputElement>('input[name=seconds]')!;
    seconds.value = '0';
    seconds.dispatchEvent(new Event('input'));
    await submit();
    expect(text('[data-testid=command-result]')).toMatch(/^The interval must be a whole number of seconds/);
    expect(el().querySelector('[data-testid=command-result]')!.classList).toContain('error');

    seconds.value = '30';
    seconds.dispatchEvent(new Event('input'));
    await submit();
    const req = http.expectOne('/api/v1/devices/gh%201/commands');
    expect(req.request.body).toEqual({ command: 'interval', seconds: 30 });
    req.flush({ topic: 't', payload: '{}' });
    await stable();
    expect(text('[data-testid=command-result]')).toMatch(/^Sent interval 30 s at /);
  });

  it('says why a command was not sent', async () => {
    await submit();
    http
      .expectOne('/api/v1/devices/gh%201/commands')
      .flush(
        { statusCode: 503, code: 'BROKER_UNAVAILABLE', message: 'broker unreachable' },
        { status: 503, statusText: '' },
      );
    await stable();
    expect(text('[data-testid=command-result]')).toBe('Not sent: broker unreachable');
  });

  it('lists the commands sent from this tab, newest first, with their time and what is known of delivery', async () => {
    const items = () =>
      [...el().querySelectorAll('[data-testid=command-history] li')].map((li) =>
        li.textContent!.replace(/\s+/g, ' ').trim(),
      );
    expect(el().querySelector('[data-testid=command-history]')).toBeNull();
    await submit();
    http.expectOne('/api/v1/devices/gh%201/commands').flush({ topic: 't', payload: '{}' });
    await stable();
    // the page's en-GB format, in the result line and the history
    const stamp = /\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2}/;
    expect(text('[data-testid=command-result]')).toMatch(new RegExp(`^Sent ping at ${stamp.source}, no`));
    expect(items()).toHaveLength(1);
    expect(items()[0]).toMatch(
      new RegExp(`^ping · ${stamp.source} · taken by the broker · no acknowledgement$`),
    );

    fixture.componentRef.setInput('online', false);
    await pick('reboot');
    await submit();
    el().querySelector<HTMLButtonElement>('[data-testid=confirm-reboot]')!.click();
    await stable();
    http.expectOne('/api/v1/devices/gh%201/commands').flush({ topic: 't', payload: '{}' });
    await stable();
    await pick('ping');
    await submit();
    http
      .expectOne('/api/v1/devices/gh%201/commands')
      .flush({ statusCode: 503, code: 'X', message: 'broker unreachable' }, { status: 503, statusText: '' });
    await stable();
    expect(items().map((i) => i.replace(stamp, 'T'))).toEqual([
      'ping · T · not sent: broker unreachable',
      'reboot · T · waiting at the broker until the device reconnects · no acknowledgement',
      'ping · T · taken by the broker · no acknowledgement',
    ]);
    expect(el().querySelector('[data-outcome=failed] .state')!.classList).toContain('error');
    expect(text('[data-testid=command-history] .note')).toContain('Devices do not acknowledge commands');
  });

  it('keeps the last five commands of each device', async () => {
    for (let i = 0; i < 7; i++) {
      await submit();
      http.expectOne('/api/v1/devices/gh%201/commands').flush({ topic: 't', payload: '{}' });
      await stable();
    }
    expect(el().querySelectorAll('[data-testid=command-history] li')).toHaveLength(5);
    fixture.componentRef.setInput('deviceId', 'other');
    await stable();
    expect(el().querySelector('[data-testid=command-history]')).toBeNull();
  });

  it('warns that an offline device gets a command only when it reconnects, reboot included', async () => {
    fixture.componentRef.setInput('online', false);
    await stable();
    expect(text('[data-testid=command-offline]')).toContain('The device is offline');
    await pick('reboot');
    await submit();
    expect(text('.confirm')).toBe('Reboot the device now? It is offline: it reboots when it reconnects.');
  });
});
