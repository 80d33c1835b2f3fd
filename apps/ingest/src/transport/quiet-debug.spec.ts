import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// in a child process, as ingest loads it (built by npm test): the real require.cache, not Jest's registry
const ROOT = path.resolve(__dirname, '../../../..');
const SCRIPT = `
  require('./apps/ingest/dist/transport/quiet-debug.js');
  const mp = require('mqtt-packet');
  const parser = mp.parser();
  parser.on('packet', (p) => console.log('parsed ' + p.cmd));
  parser.parse(mp.generate({ cmd: 'pingreq' }));
`;
const run = (env: Record<string, string>) => {
  const r = spawnSync(process.execPath, ['-e', SCRIPT], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  return { stdout: r.stdout, stderr: r.stderr };
};

describe('quiet MQTT debug logging', () => {
  it('parses packets without mqtt-packet logging by default', () => {
    expect(run({})).toEqual({ stdout: 'parsed pingreq\n', stderr: '' });
  });

  it('still logs every packet when DEBUG asks for it', () => {
    const { stdout, stderr } = run({ DEBUG: 'mqtt-packet:*' });
    expect(stdout).toBe('parsed pingreq\n');
    expect(stderr).toContain('mqtt-packet:parser');
    expect(stderr).toContain('mqtt-packet:writeToStream generate: packet.cmd: pingreq');
  });

  it('leaves other namespaces to DEBUG as before', () => {
    const { stderr } = run({ DEBUG: 'mqtt-packet:parser' });
    expect(stderr).toContain('mqtt-packet:parser');
    expect(stderr).not.toContain('writeToStream');
  });
});
