import { Routes } from '@angular/router';

import { loadDevicePage } from '../../core/page-code';
import { DevicesOverviewPage } from './overview/devices-overview.page';

export const DEVICES_ROUTES: Routes = [
  { path: '', component: DevicesOverviewPage, title: 'Devices · SensorHub' },
  {
    path: 'compare',
    loadComponent: () => import('./compare/compare.page').then((m) => m.ComparePage),
    title: 'Compare · SensorHub',
  },
  {
    path: ':id',
    loadComponent: loadDevicePage,
    title: 'Device · SensorHub',
  },
];
