/**
 * bench:generate — how long generating a fleet takes, against plain projen subprojects.
 *
 *   npm run bench:generate            # 10, 100 and 1,000 services, both generators
 *   npm run bench:generate -- --sizes 10,100
 *   npm run bench:generate -- --outdir-root /dev/shm   # in memory: the generators, not the disk
 *
 * Each measurement runs in a fresh child process (no warm caches from an earlier size) and
 * writes into a new temporary folder. The baseline is what DESIGN.md measured: projen's own
 * `AwsCdkTypeScriptApp` as subprojects of one root project. Last, `npx projen` on the sample
 * fleet with nothing to change, end to end, five times.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { cpus, tmpdir, totalmem } from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');

type Generator = 'fleet' | 'projen-subprojects';

/** Child mode: generate `count` services with `generator`, print the seconds taken as JSON. */
function measureOnce(generator: Generator, count: number, root: string): void {
  process.env.PROJEN_DISABLE_POST = 'true';
  const outdir = mkdtempSync(path.join(root, `bench-${generator}-`));
  const started = process.hrtime.bigint();
  if (generator === 'fleet') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Fleet } = require('../blueprints/src');
    new Fleet({ name: 'bench', outdir, installAfterChange: false, services: syntheticServices(count) }).synthOrThrow();
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Project, awscdk } = require('projen');
    const root = new Project({ name: 'bench', outdir });
    for (let i = 0; i < count; i++) {
      new awscdk.AwsCdkTypeScriptApp({
        parent: root,
        name: `service-${i}`,
        outdir: `projects/service-${i}`,
        cdkVersion: '2.276.0',
        defaultReleaseBranch: 'main',
        packageManager: 'npm',
      });
    }
    root.synth();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(outdir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({ seconds, rssMb: Math.round(process.memoryUsage().rss / 1e6) })}\n`);
}

function syntheticServices(count: number): object[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `service-${i}`,
    blueprint: 'step-functions-service',
    description: `Synthetic service ${i}.`,
    functions: Object.fromEntries(
      Array.from({ length: 8 }, (__, f) => [`step-${f}`, { tableAccess: (['none', 'read', 'write', 'read-write'] as const)[f % 4] }]),
    ),
    events: [
      { source: 'bench.source', detailType: `Thing ${i} Happened` },
      { source: 'bench.source', detailType: `Thing ${i} Updated`, target: 'step-0' },
    ],
  }));
}

function measure(generator: Generator, count: number, root: string): { seconds: number; rssMb: number } {
  const child = spawnSync(process.execPath, ['--require', 'tsx/cjs', __filename, '--child', generator, String(count), root], {
    cwd: REPO,
    encoding: 'utf-8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`${generator} x${count} failed:\n${child.stderr}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(argv: string[]): void {
  if (argv[0] === '--child') return measureOnce(argv[1] as Generator, Number(argv[2]), argv[3] ?? tmpdir());
  const sizesArg = argv.indexOf('--sizes');
  const sizes = sizesArg >= 0 ? argv[sizesArg + 1].split(',').map(Number) : [10, 100, 1000];
  // Where the services are written. Generation is mostly file writes; on a virtual disk their
  // time varies from run to run (1,000 services: 9-21 s here). `--outdir-root /dev/shm` writes to
  // memory, so the figure measures the generators themselves; report which one you used.
  const rootArg = argv.indexOf('--outdir-root');
  const root = rootArg >= 0 ? argv[rootArg + 1] : tmpdir();

  console.log(`# bench:generate, ${new Date().toISOString()}, ${cpus().length} x ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, written under ${root}\n`);
  console.log('| services | fleet (s) | fleet ms/service | fleet RSS (MB) | projen subprojects (s) | projen ms/service | projen RSS (MB) | projen / fleet |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  const fleetSeconds = new Map<number, number>();
  for (const size of sizes) {
    const ours = measure('fleet', size, root);
    const base = measure('projen-subprojects', size, root);
    fleetSeconds.set(size, ours.seconds);
    console.log(
      `| ${size} | ${ours.seconds.toFixed(2)} | ${((ours.seconds / size) * 1000).toFixed(1)} | ${ours.rssMb} | ${base.seconds.toFixed(2)} | ${((base.seconds / size) * 1000).toFixed(1)} | ${base.rssMb} | ${(base.seconds / ours.seconds).toFixed(1)}x |`,
    );
  }
  if (fleetSeconds.has(100) && fleetSeconds.has(1000)) {
    console.log(`\nGrowth: fleet 1,000 services / 100 services = ${(fleetSeconds.get(1000)! / fleetSeconds.get(100)!).toFixed(1)}x (linear would be 10x; target <= 12x).`);
  }

  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync('npx', ['projen'], { cwd: REPO, encoding: 'utf-8' });
    if (result.status !== 0) throw new Error(`npx projen failed:\n${result.stderr}`);
    runs.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  console.log(`\nNo-op \`npx projen\` on the sample fleet, end to end: median ${median(runs).toFixed(2)} s over 5 runs (${runs.map((r) => r.toFixed(2)).join(', ')}).`);
}

main(process.argv.slice(2));
