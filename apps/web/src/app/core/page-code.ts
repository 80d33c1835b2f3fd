/** a device page: /devices/<id> (query and fragment aside), not /devices/compare */
export const isDevicePage = (pathname: string): boolean =>
  /^\/devices\/(?!compare\/?$)[^/]+\/?$/.test(pathname);

/** the device page's code (its own chunk: the router's loadComponent, and the early loads below) */
export const loadDevicePage = () =>
  import('../features/devices/detail/device-detail.page').then((m) => m.DeviceDetailPage);

/** after the frame being drawn now: soon, but never ahead of what that frame shows */
const afterNextFrame = (fn: () => void) => requestAnimationFrame(() => setTimeout(fn));

/**
 * On a load of a device page, asks for the page's code at once, while Angular boots, and for ECharts as soon as the
 * app has drawn its first frame (`booted`: bootstrapApplication's promise): the router asks for the page's chunk only
 * once booted, and the first chart for ECharts later still, each a round trip more on a phone's connection. ECharts
 * (180 KB) waits for that first frame so it does not hold up what the frame shows. The router and the chart then get
 * the same modules, already on their way.
 */
export function preloadPageCode(pathname: string, booted: Promise<unknown>): void {
  if (!isDevicePage(pathname)) return;
  void loadDevicePage();
  booted.then(
    () => afterNextFrame(() => void import('../shared/chart/echarts-setup')),
    () => undefined,
  );
}

/**
 * Once the overview shows its devices: fetches the device page's code, so a card opens at once, and also while the
 * api is unreachable (it serves these files too) — the page then says why it has no data.
 */
export function preloadDevicePage(): void {
  afterNextFrame(() => void loadDevicePage().catch(() => undefined));
}
