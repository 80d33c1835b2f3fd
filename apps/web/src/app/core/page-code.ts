import { afterNextFrame } from './frames';

/** a device page: /devices/<id> (query and fragment aside), not /devices/compare */
export const isDevicePage = (pathname: string): boolean =>
  /^\/devices\/(?!compare\/?$)[^/]+\/?$/.test(pathname);

/** the device page's code (its own chunk: the router's loadComponent, and the early loads below) */
export const loadDevicePage = () =>
  import('../features/devices/detail/device-detail.page').then((m) => m.DeviceDetailPage);

/**
 * On a load of a device page, asks for the page's code at once, while Angular boots: the router asks for the page's
 * chunk only once booted, a round trip more on a phone's connection; the router then gets the module already on its
 * way. ECharts (180 KB) is left to the page, which asks for it once the device's header is painted
 * (`prefetchECharts`): fetched earlier, it finishes before the header and counts in the page's largest paint.
 */
export function preloadPageCode(pathname: string): void {
  if (isDevicePage(pathname)) void loadDevicePage();
}

/**
 * Once the overview shows its devices: fetches the device page's code, so a card opens at once, and also while the
 * api is unreachable (it serves these files too) — the page then says why it has no data.
 */
export function preloadDevicePage(): void {
  afterNextFrame(() => void loadDevicePage().catch(() => undefined));
}
