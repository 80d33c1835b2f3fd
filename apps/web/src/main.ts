import { bootstrapApplication } from '@angular/platform-browser';

import { AppComponent } from './app/app.component';
import { appConfig } from './app/app.config';
import { initColorScheme } from './app/core/theme';

// before the first render: the stored light/dark choice, else the system's
initColorScheme();
bootstrapApplication(AppComponent, appConfig).catch((err: unknown) => console.error(err));
