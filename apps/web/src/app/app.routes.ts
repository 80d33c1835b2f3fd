import { Routes } from '@angular/router';

import { authGuard, roleGuard } from './core/auth.guards';
import { keepKioskGuard } from './core/kiosk.guard';
import { DEVICES_ROUTES } from './features/devices/devices.routes';

export const routes: Routes = [
  { path: 'login', loadChildren: () => import('./features/login/login.routes').then((m) => m.LOGIN_ROUTES) },
  {
    path: '',
    canActivate: [authGuard, keepKioskGuard],
    // on every navigation, a change of query alone included: kiosk must survive a page rewriting its query
    runGuardsAndResolvers: 'always',
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'devices' },
      { path: 'devices', children: DEVICES_ROUTES },
      {
        path: 'dead-letters',
        canActivate: [roleGuard('operator')],
        loadChildren: () =>
          import('./features/dead-letters/dead-letters.routes').then((m) => m.DEAD_LETTERS_ROUTES),
      },
      {
        path: 'alerts',
        loadChildren: () => import('./features/alerts/alerts.routes').then((m) => m.ALERTS_ROUTES),
      },
      {
        path: 'admin',
        canActivate: [roleGuard('admin')],
        loadChildren: () => import('./features/admin/admin.routes').then((m) => m.ADMIN_ROUTES),
      },
    ],
  },
  { path: '**', redirectTo: 'devices' },
];
