import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * bench/cpu-test-environment.js, the jest environment bench:suite measures every suite with:
 * one line per test file, with the CPU of the worker and of the processes the file waited for.
 */
describe('the CPU test environment of bench:suite', () => {
  test('GIVEN a suite that runs a child process WHEN its environment is torn down THEN one line names the suite with its own CPU and its child\'s', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'suite-cpu-')), 'cpu.jsonl');
    process.env.FLEET_SUITE_CPU_FILE = out;
    let CpuTestEnvironment: any;
    jest.isolateModules(() => {
      CpuTestEnvironment = require('../bench/cpu-test-environment.js');
    });
    const environment = new CpuTestEnvironment(
      { globalConfig: {}, projectConfig: { testEnvironmentOptions: {}, globals: {} } },
      { console, docblockPragmas: {}, testPath: '/repo/projects/svc/test/stack.test.ts' },
    );
    await environment.setup();
    // A child busy for well over one clock tick (10 ms) of /proc's accounting.
    expect(spawnSync(process.execPath, ['-e', 'let x = 0; for (let i = 0; i < 5e7; i++) x += i;']).status).toBe(0);
    await environment.teardown();
    delete process.env.FLEET_SUITE_CPU_FILE;

    const lines = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([{ suite: '/repo/projects/svc/test/stack.test.ts', pid: process.pid, userS: expect.any(Number), systemS: expect.any(Number), childrenS: expect.any(Number) }]);
    expect(lines[0].childrenS).toBeGreaterThan(0);
    expect(lines[0].userS).toBeGreaterThanOrEqual(0);
  });
});
