import { spawnSync } from 'child_process';
import { cpSync, lstatSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { crashFleet } from './crash/crash-fleet';
import { listTree, synthFleet, tempDir } from './helpers';

/**
 * A generation killed (SIGKILL) at its Nth write, rename or delete inside the fleet, for many N,
 * then run again: the second run succeeds and the tree is exactly what an uninterrupted run
 * gives (every managed file, every owned sample whole, the team's edit kept, the ledger).
 *
 * `npm test` kills at a bounded sample of points (5 per scenario); FLEET_CRASH_ALL=1
 * (`npm run test:crash`) kills at every write.
 */
jest.setTimeout(120_000);

const HOOK = path.join(__dirname, 'crash', 'kill-at-nth-write.js');
const GENERATE = path.join(__dirname, 'crash', 'generate.ts');
const SAMPLE = 5;
const TEAM_EDIT = '// our own validation\nexport const handler = async () => ({ ok: true });\n';

function generateInChild(outdir: string, version: 'v1' | 'v2', env: Record<string, string>) {
  return spawnSync(process.execPath, ['--require', HOOK, '--require', 'tsx/cjs', GENERATE, outdir, version], {
    env: { ...process.env, FLEET_CRASH_DIR: outdir, ...env },
    encoding: 'utf-8',
  });
}

/** path -> mode and content of every file (links as their target), to compare runs exactly. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listTree(dir).map((file) => {
    const full = path.join(dir, file);
    const stat = lstatSync(full);
    return [file, `${(stat.mode & 0o777).toString(8)} ${readFileSync(full, 'utf-8')}`];
  }));
}

/** Where each scenario starts, and how a run of it ends when nothing interrupts it. */
const scenarios = {
  'the first generation': {
    version: 'v1' as const,
    prepare: (_dir: string) => {},
  },
  'an update over a team\'s edit': {
    version: 'v2' as const,
    prepare: (dir: string) => {
      synthFleet(dir, crashFleet('v1'));
      writeFileSync(path.join(dir, 'projects/scan-ingest/src/functions/validate-scan.ts'), TEAM_EDIT);
    },
  },
};

function killPoints(writes: number): number[] {
  if (process.env.FLEET_CRASH_ALL === '1') return Array.from({ length: writes }, (_, i) => i + 1);
  const step = Math.max(1, Math.floor(writes / SAMPLE));
  return Array.from({ length: SAMPLE }, (_, i) => Math.min(writes, 1 + i * step + (i % 3)));
}

describe.each(Object.entries(scenarios))('never loses a team\'s edit, never leaves half a file: %s killed at its Nth write', (_name, scenario) => {
  const template = tempDir('fleet-crash-template-');
  scenario.prepare(template);
  const reference = tempDir('fleet-crash-reference-');
  cpSync(template, reference, { recursive: true });
  const counted = generateInChild(reference, scenario.version, { FLEET_COUNT_WRITES: '1' });
  const writes = Number(/writes=(\d+)/.exec(counted.stdout)?.[1] ?? 0);
  const expected = snapshot(reference);

  test('the uninterrupted run writes something to kill', () => {
    expect(counted.status).toBe(0);
    expect(writes).toBeGreaterThan(10);
  });

  test.each(killPoints(writes))('killed at write %i, the next run succeeds and gives the uninterrupted result', (n) => {
    const dir = tempDir('fleet-crash-');
    cpSync(template, dir, { recursive: true });
    const killed = generateInChild(dir, scenario.version, { FLEET_KILL_AT_WRITE: String(n) });
    expect(killed.signal).toBe('SIGKILL');

    const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      synthFleet(dir, crashFleet(scenario.version));
    } finally {
      quiet.mockRestore();
    }
    expect(snapshot(dir)).toEqual(expected);
    if (scenario.version === 'v2') expect(readFileSync(path.join(dir, 'projects/scan-ingest/src/functions/validate-scan.ts'), 'utf-8')).toBe(TEAM_EDIT);
  });
});
