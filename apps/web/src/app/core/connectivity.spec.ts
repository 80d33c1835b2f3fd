import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { Connectivity, reloadAfterOutage } from './connectivity';
import { connectivityInterceptor } from './connectivity.interceptor';

describe(Connectivity.name, () => {
  let http: HttpTestingController;
  let client: HttpClient;
  let connectivity: Connectivity;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([connectivityInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    client = TestBed.inject(HttpClient);
    connectivity = TestBed.inject(Connectivity);
  });
  afterEach(() => {
    vi.useRealTimers();
    TestBed.resetTestingModule();
  });

  const get = (url: string) => firstValueFrom(client.get(url)).catch(() => undefined);

  it('notices an api that does not answer, probes its health with backoff, and counts its return', async () => {
    void get('/api/v1/devices');
    http.expectOne('/api/v1/devices').error(new ProgressEvent('error'), { status: 0 });
    expect(connectivity.lostAt()).toBe(Date.now());

    await vi.advanceTimersByTimeAsync(1000);
    http.expectOne('/api/v1/health').flush('', { status: 502, statusText: 'Bad Gateway' });
    await vi.advanceTimersByTimeAsync(1999);
    http.expectNone('/api/v1/health');
    await vi.advanceTimersByTimeAsync(1);
    // the api's own 503 (a dependency down) is an answer: the api is back
    http
      .expectOne('/api/v1/health')
      .flush({ status: 'error' }, { status: 503, statusText: 'Service Unavailable' });
    expect(connectivity.lostAt()).toBeNull();
    expect(connectivity.recovered()).toBe(1);
  });

  it('takes any answer of the api, even an error, as reaching it; other hosts do not count', async () => {
    connectivity.lost();
    void get('/api/v1/devices/x');
    http.expectOne('/api/v1/devices/x').flush({ message: 'no' }, { status: 404, statusText: 'Not Found' });
    expect(connectivity.lostAt()).toBeNull();

    void get('https://tiles.example/x.png');
    http.expectOne('https://tiles.example/x.png').error(new ProgressEvent('error'), { status: 0 });
    expect(connectivity.lostAt()).toBeNull();

    void get('/api/v1/devices');
    http
      .expectOne('/api/v1/devices')
      .flush({ message: 'down' }, { status: 504, statusText: 'Gateway Timeout' });
    expect(connectivity.lostAt()).not.toBeNull();
    void get('/api/v1/devices');
    http.expectOne('/api/v1/devices').flush({ items: [] });
    expect(connectivity.lostAt()).toBeNull();
    expect(connectivity.recovered()).toBe(2);
  });

  it('reloads what failed once the api is back, and leaves what loaded alone', async () => {
    const failed = { error: () => new Error('down'), reload: vi.fn() };
    const fine = { error: () => undefined, reload: vi.fn() };
    TestBed.runInInjectionContext(() => reloadAfterOutage(failed, fine));
    TestBed.tick();
    expect(failed.reload).not.toHaveBeenCalled();
    connectivity.lost();
    connectivity.reached();
    TestBed.tick();
    expect(failed.reload).toHaveBeenCalledTimes(1);
    expect(fine.reload).not.toHaveBeenCalled();
  });
});
