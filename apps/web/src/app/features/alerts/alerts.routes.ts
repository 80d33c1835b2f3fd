import { Routes } from '@angular/router';

import { AlertsPage } from './alerts.page';
import { AlertRulesPage } from './rules/alert-rules.page';

export const ALERTS_ROUTES: Routes = [
  { path: '', component: AlertsPage, title: 'Alerts · SensorHub' },
  { path: 'rules', component: AlertRulesPage, title: 'Alert rules · SensorHub' },
];
