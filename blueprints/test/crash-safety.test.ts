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
 * `npm test` kills at a bounded sample aimed at what a crash can break (half of the first
 * owned sample, of `.projen/files.json`, of the ledger, of a managed file; the first and last
 * step; a spread): about 8 runs per scenario. FLEET_CRASH_ALL=1 (`npm run test:crash`) kills at
 * every write.
 */
jest.setTimeout(120_000);

const HOOK = path.join(__dirname, 'crash', 'kill-at-nth-write.js');
const GENERATE = path.join(__dirname, 'crash', 'generate.ts');
const SPREAD = 3;
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

interface Step {
  readonly op: string;
  readonly file: string;
}

/** Where to kill: every step, or the sample described above (1-based step numbers). */
function killPoints(steps: readonly Step[]): number[] {
  if (process.env.FLEET_CRASH_ALL === '1') return steps.map((_, i) => i + 1);
  const isWrite = (s: Step) => s.op === 'writeSync' || s.op === 'writeFileSync';
  const firstWrite = (match: (file: string) => boolean) => steps.findIndex((s) => isWrite(s) && match(s.file.replace(/\.fleet-tmp-[0-9a-f]+$/, '').replace(/\/\.([^/]+)$/, '/$1'))) + 1;
  const aimed = [
    firstWrite((f) => /\/src\/functions\/[^/]+\.ts$/.test(f)),
    firstWrite((f) => f.endsWith('.projen/files.json')),
    firstWrite((f) => f.endsWith('.projen/owned-files.json')),
    firstWrite((f) => f.endsWith('/src/stack.ts')),
    1,
    steps.length,
    ...Array.from({ length: SPREAD }, (_, i) => Math.floor(((i + 1) * steps.length) / (SPREAD + 1))),
  ];
  return [...new Set(aimed.filter((n) => n > 0))].sort((a, b) => a - b);
}

describe.each(Object.entries(scenarios))('never loses a team\'s edit, never leaves half a file: %s killed at its Nth write', (_name, scenario) => {
  const template = tempDir('fleet-crash-template-');
  scenario.prepare(template);
  const reference = tempDir('fleet-crash-reference-');
  cpSync(template, reference, { recursive: true });
  const stepsFile = path.join(tempDir('fleet-crash-steps-'), 'steps.json');
  const counted = generateInChild(reference, scenario.version, { FLEET_COUNT_WRITES: stepsFile });
  const steps: Step[] = counted.status === 0 ? JSON.parse(readFileSync(stepsFile, 'utf-8')) : [];
  const expected = snapshot(reference);

  test('the uninterrupted run writes something to kill', () => {
    expect(counted.status).toBe(0);
    expect(steps.length).toBeGreaterThan(10);
  });

  test.each(killPoints(steps))('killed at write %i, the next run succeeds and gives the uninterrupted result', (n) => {
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
