import { Routes } from '@angular/router';

import { DeadLettersPage } from './dead-letters.page';

export const DEAD_LETTERS_ROUTES: Routes = [
  { path: '', component: DeadLettersPage, title: 'Dead letters · SensorHub' },
];
