/**
 * Writes the built dashboard's compressed copies (`.br`, `.gz` beside each text file of apps/web/dist/browser), which
 * the api and nginx send as they are. `npm run build:web` runs it after `ng build`; `npm start`, the browser tests and
 * bench:web do it themselves when they build the dashboard.
 */
import { precompressDashboard } from './lib/dashboard';
import { WEB_DIST } from './lib/paths';

const t = Date.now();
const { files, raw, br } = precompressDashboard();
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`${WEB_DIST}: ${files} files compressed (${kb(raw)} → ${kb(br)} brotli) in ${Date.now() - t} ms`);
