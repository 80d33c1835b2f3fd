import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { precompressDashboard } from '../../scripts/lib/dashboard';

// The build's compressed copies of the dashboard's files, which the api and nginx send as they are.
describe(precompressDashboard.name, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-dist-'));
  // real code of some size (TypeScript's ES5 declarations, 0.2 MB) rather than a repeated line that any level squeezes
  const chunk = fs.readFileSync(require.resolve('typescript/lib/lib.es5.d.ts'), 'utf8');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a brotli and a gzip copy beside each text file of 1 KiB and more, in subfolders too', () => {
    fs.mkdirSync(path.join(dir, 'media'));
    fs.writeFileSync(path.join(dir, 'chunk-5WQFEXTB.js'), chunk);
    fs.writeFileSync(
      path.join(dir, 'media', 'icons-2B3C4D5E.svg'),
      `<svg>${'<path d="M0 0"/>'.repeat(100)}</svg>`,
    );
    fs.writeFileSync(path.join(dir, 'chunk-ABCDEFGH.js'), 'export const a = 1;');
    fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html>${' '.repeat(2000)}<sh-root></sh-root>`);

    const out = precompressDashboard(dir);

    for (const name of ['chunk-5WQFEXTB.js', 'media/icons-2B3C4D5E.svg']) {
      const body = fs.readFileSync(path.join(dir, name));
      expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, `${name}.br`))).equals(body)).toBe(
        true,
      );
      expect(zlib.gunzipSync(fs.readFileSync(path.join(dir, `${name}.gz`))).equals(body)).toBe(true);
    }
    // brotli at its best quality: smaller than the api's per-request brotli (quality 4)
    const perRequest = zlib.brotliCompressSync(chunk, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 },
    });
    expect(fs.statSync(path.join(dir, 'chunk-5WQFEXTB.js.br')).size).toBeLessThan(perRequest.length);
    // too small to gain, and index.html, which the api sends per request
    for (const name of ['chunk-ABCDEFGH.js', 'index.html'])
      for (const ext of ['.br', '.gz']) expect(fs.existsSync(path.join(dir, name + ext))).toBe(false);
    expect(out.files).toBe(2);
  });
});
