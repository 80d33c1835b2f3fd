import { Routes } from '@angular/router';

import { AlertsPage } from './alerts.page';

export const ALERTS_ROUTES: Routes = [{ path: '', component: AlertsPage, title: 'Alerts · SensorHub' }];
