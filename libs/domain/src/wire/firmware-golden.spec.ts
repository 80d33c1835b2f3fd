import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import { parseMessage } from './parse';

/**
 * The firmware's encoder (firmware/lib/sensorhub_core) is tested against the same golden packets
 * (firmware/test/golden) by `make -C firmware test`; here the server's parser must accept each one.
 * Either side drifting from the wire contract breaks one of the two suites.
 */
const GOLDEN_DIR = path.resolve(__dirname, '../../../../firmware/test/golden');
const FIRMWARE_DIR = path.resolve(__dirname, '../../../../firmware');

interface GoldenPacket {
  description: string;
  topic: string;
  payload: string;
  expected: {
    device_id: string;
    readings: Array<{ metric: string; value: number; ts: string }>;
    status?: string;
    battery?: number;
  };
}

const goldenFiles = readdirSync(GOLDEN_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();

function load(name: string): GoldenPacket {
  return JSON.parse(readFileSync(path.join(GOLDEN_DIR, name), 'utf8')) as GoldenPacket;
}

describe('firmware golden packets', () => {
  it('has golden packet files to check', () => {
    expect(goldenFiles.length).toBeGreaterThanOrEqual(1);
  });

  it.each(goldenFiles)('the ingest parser accepts %s as the firmware encodes it', (name) => {
    const golden = load(name);
    const { expected } = golden;
    const packetTime = new Date(expected.readings[0].ts);

    const parsed = parseMessage(golden.topic, Buffer.from(golden.payload, 'utf8'), { now: packetTime });

    expect(parsed).toEqual({
      ok: true,
      kind: 'telemetry',
      deviceId: expected.device_id,
      readings: expected.readings.map((r) => ({
        deviceId: expected.device_id,
        metric: r.metric,
        ts: new Date(r.ts),
        value: r.value,
      })),
      device: { status: expected.status, battery: expected.battery },
    });
  });
});

/**
 * Runs the firmware's host tests (including the byte-for-byte golden encoding) as part of `npm test`.
 * They need make and g++; on a machine without them this test only reports that it could not run.
 */
const hasHostToolchain = ['make', 'g++'].every((tool) => spawnSync(tool, ['--version']).status === 0);

describe('firmware host tests', () => {
  it('pass, and the sketch compiles against the library stubs, when g++ is installed', () => {
    if (!hasHostToolchain) {
      console.warn('firmware host tests not run: make or g++ is not installed');
      return;
    }
    const output = execFileSync('make', ['-s', '-C', FIRMWARE_DIR, 'test', 'check-sketch'], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    expect(output).toMatch(/\d+ tests, 0 failed checks/);
  }, 180_000);
});
