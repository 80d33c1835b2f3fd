import { Routes } from '@angular/router';

/**
 * The devices pages, listed among the app's routes rather than as a lazy child configuration: each page is a chunk of
 * its own, fetched as soon as its route matches. The overview — where a user lands — then downloads neither the device
 * page's charts and forms nor a routes chunk before its own.
 */
export const DEVICES_ROUTES: Routes = [
  {
    path: 'devices',
    pathMatch: 'full',
    loadComponent: () => import('./overview/devices-overview.page').then((m) => m.DevicesOverviewPage),
    title: 'Devices · SensorHub',
  },
  {
    path: 'devices/compare',
    loadComponent: () => import('./compare/compare.page').then((m) => m.ComparePage),
    title: 'Compare · SensorHub',
  },
  {
    path: 'devices/:id',
    loadComponent: () => import('./detail/device-detail.page').then((m) => m.DeviceDetailPage),
    title: 'Device · SensorHub',
  },
];
