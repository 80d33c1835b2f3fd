import { bootstrapApplication } from '@angular/platform-browser';

import { AppComponent } from './app/app.component';
import { appConfig } from './app/app.config';
import { usePageLocale } from './app/core/format';
import { preloadPageCode } from './app/core/page-code';
import { initColorScheme } from './app/core/theme';

// before the first render: the stored light/dark choice, else the system's
initColorScheme();
// dates in the browser's language, as its own date-time fields write them
usePageLocale(navigator.languages);
bootstrapApplication(AppComponent, appConfig).catch((err: unknown) => console.error(err));
// a device page's code is fetched while Angular boots
preloadPageCode(location.pathname);
