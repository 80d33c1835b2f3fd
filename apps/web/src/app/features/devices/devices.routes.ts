import { Routes } from '@angular/router';

import { DeviceDetailPage } from './device-detail.page';
import { DevicesOverviewPage } from './devices-overview.page';

export const DEVICES_ROUTES: Routes = [
  { path: '', component: DevicesOverviewPage, title: 'Devices · SensorHub' },
  { path: ':id', component: DeviceDetailPage, title: 'Device · SensorHub' },
];
