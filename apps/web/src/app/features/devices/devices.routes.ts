import { Routes } from '@angular/router';

import { DeviceDetailPage } from './detail/device-detail.page';
import { DevicesOverviewPage } from './overview/devices-overview.page';

export const DEVICES_ROUTES: Routes = [
  { path: '', component: DevicesOverviewPage, title: 'Devices · SensorHub' },
  {
    path: 'compare',
    loadComponent: () => import('./compare/compare.page').then((m) => m.ComparePage),
    title: 'Compare · SensorHub',
  },
  { path: ':id', component: DeviceDetailPage, title: 'Device · SensorHub' },
];
