// Where things are, from the TypeScript sources (Jest runs them through ts-jest) and from their build alike:
// `npm run build` compiles scripts/ into dist/scripts/ (dist/ mirrors the repository), so __dirname differs.
import * as fs from 'node:fs';
import * as path from 'node:path';

const up = path.resolve(__dirname, '../..');

/** The checkout's root directory. */
export const ROOT = fs.existsSync(path.join(up, 'scripts', 'tsconfig.json')) ? up : path.dirname(up);

/** The built form of a script, to run with node: `built('lib/aedes-process')` → dist/scripts/lib/aedes-process.js. */
export const built = (script: string): string => path.join(ROOT, 'dist', 'scripts', `${script}.js`);

/** The built apps and dashboard. */
export const API_MAIN = path.join(ROOT, 'apps/api/dist/main.js');
export const INGEST_MAIN = path.join(ROOT, 'apps/ingest/dist/main.js');
export const WEB_DIST = path.join(ROOT, 'apps/web/dist/browser');
