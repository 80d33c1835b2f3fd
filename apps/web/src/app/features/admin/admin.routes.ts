import { Routes } from '@angular/router';

import { ApiKeysPage } from './api-keys/api-keys.page';
import { UsersPage } from './users/users.page';

export const ADMIN_ROUTES: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'users' },
  { path: 'users', component: UsersPage, title: 'Users · SensorHub' },
  { path: 'api-keys', component: ApiKeysPage, title: 'API keys · SensorHub' },
];
