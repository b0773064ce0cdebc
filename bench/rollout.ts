/**
 * bench:rollout: a simulated rollout of the synthesized engine over N accounts x S services, in
 * virtual time, against the lower bounds (from the run's own stack times, and from the shortest
 * ones) and StackSets STRICT/SOFT under the same constraints (gated by the same rings and bakes,
 * and ungated);
 * the wall time and peak memory of the simulation itself, and the growth from the smaller fleet
 * to the larger one (10x the accounts: a ratio near 10 is linear).
 *
 *   npm run bench:rollout                          # 600 and 6,000 accounts x 20 services
 *   npm run bench:rollout -- --tenants 600         # one size only
 *   npm run bench:rollout -- --tenants 600,6000 --services 20 --no-write
 *
 * Each size runs in its own process (peak RSS is per process). Results go into docs/benchmarks.md
 * between the bench:rollout markers, the chart of the largest run into docs/benchmarks/rollout.svg.
 * CPU profile of one size: node --cpu-prof --import tsx bench/rollout.ts --child 600 20
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { clock, compareWithModels, FleetSimulation, ModelComparison, renderRolloutChart, rolloutChart, SimulationCounts } from '@fleet/simulator';

const REPO = path.resolve(__dirname, '..');
const BENCHMARKS_MD = path.join(REPO, 'docs', 'benchmarks.md');
const CHART = path.join(REPO, 'docs', 'benchmarks', 'rollout.svg');
const START = '<!-- bench:rollout:start -->';
const END = '<!-- bench:rollout:end -->';

interface SizeResult {
  readonly tenants: number;
  readonly services: number;
  readonly deployments: number;
  readonly waves: number;
  readonly status: string;
  readonly virtualSeconds: number;
  readonly models: ModelComparison;
  readonly counts: SimulationCounts;
  readonly setupSeconds: number;
  readonly wallSeconds: number;
  readonly peakRssBytes: number;
  readonly waveGaps: readonly WaveGap[];
}

/** Where a wave's simulated time goes next to its bound from the run's own stack times (bake excluded). */
interface WaveGap {
  readonly label: string;
  readonly deployments: number;
  /** The Map Run, start to end. */
  readonly simulatedSeconds: number;
  readonly boundSeconds: number;
  readonly binding: string;
  /** (deployments - 1) / child start rate: when the last child could start at the earliest. */
  readonly rampSeconds: number;
  readonly longestStackSeconds: number;
  /** From the Map Run's start to the end of its last stack update in CloudFormation. */
  readonly lastStackEndSeconds: number;
  /** From the last stack update's end to the Map Run's end: the last child's poll, its record, the Map Run closing. */
  readonly afterLastStackSeconds: number;
}

function waveGaps(run: Awaited<ReturnType<FleetSimulation['run']>>, models: ModelComparison, startsPerSecond: number): WaveGap[] {
  return run.waves.flatMap((w, i) => {
    if (w.startSeconds === undefined || w.endSeconds === undefined) return [];
    const bound = models.realizedBound.waves[i];
    const ends = run.intervals.filter((u) => u.wave === w.label).map((u) => u.endSeconds);
    const lastEnd = ends.length > 0 ? Math.max(...ends) : w.startSeconds;
    return [{
      label: w.label, deployments: w.deployments, simulatedSeconds: w.endSeconds - w.startSeconds, boundSeconds: bound.deploySeconds, binding: bound.binding,
      rampSeconds: Math.max(0, w.deployments - 1) / startsPerSecond, longestStackSeconds: bound.longestStackSeconds,
      lastStackEndSeconds: lastEnd - w.startSeconds, afterLastStackSeconds: w.endSeconds - lastEnd,
    }];
  });
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** One size, in this process: prints one JSON line; writes the chart when asked. */
async function child(tenants: number, services: number, chartPath?: string): Promise<void> {
  const started = process.hrtime.bigint();
  const sim = new FleetSimulation({ tenants, services, seed: 1 });
  const setupSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  let lastReport = 0;
  const run = await sim.run({
    onProgress: (p) => {
      const now = Date.now();
      if (now - lastReport < 10_000 && p.done !== p.total) return;
      lastReport = now;
      process.stderr.write(`  [${tenants} x ${services}] ${clock(p.virtualSeconds)} virtual: ${p.done}/${p.total}, wave ${p.wave}\n`);
    },
  });
  const models = compareWithModels(sim, run);
  if (chartPath) {
    mkdirSync(path.dirname(chartPath), { recursive: true });
    writeFileSync(chartPath, renderRolloutChart(rolloutChart(sim, run, models)));
  }
  const result: SizeResult = {
    tenants, services, deployments: sim.planned, waves: sim.plan.waves.length, status: run.status, virtualSeconds: run.virtualSeconds,
    models, counts: run.counts, setupSeconds, wallSeconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssBytes: process.resourceUsage().maxRSS * 1024,
    waveGaps: waveGaps(run, models, sim.quotas.distributedMapChildStartsPerSecond.standard),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runSize(tenants: number, services: number, chartPath?: string): SizeResult {
  process.stderr.write(`bench:rollout: ${tenants} accounts x ${services} services...\n`);
  // A 1.5 GiB old space: V8 otherwise lets the heap grow far past the live set (6,000 x 20:
  // peak RSS 2,174 MiB uncapped, 1,288 MiB capped, the same CPU time within 1%).
  const run = spawnSync(process.execPath, ['--max-old-space-size=1536', '--import', 'tsx', __filename, '--child', String(tenants), String(services), ...(chartPath ? ['--chart', chartPath] : [])], {
    cwd: REPO, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20,
  });
  if (run.status !== 0) throw new Error(`bench:rollout: the ${tenants} x ${services} run failed (${run.signal ?? `exit ${run.status}`}). Fix: see its output above.`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'unknown CPU';
  return `${cpus.length} x ${model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`;
}

function table(results: readonly SizeResult[]): string {
  const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
  const x = (r: number) => `${r.toFixed(2)}x`;
  const rows = results.map((r) => {
    const m = r.models;
    return `| ${r.tenants.toLocaleString('en-US')} x ${r.services} | ${r.deployments.toLocaleString('en-US')} in ${r.waves} waves | ${r.status} | ${clock(r.virtualSeconds)} | ${clock(m.realizedBound.totalSeconds)} (${x(m.ratios.simulatedToRealizedBound)}) | ${clock(m.lowerBound.totalSeconds)} (${x(m.ratios.simulatedToLowerBound)}) `
      + `| ${clock(m.stackSetsSoft.totalSeconds)} (${x(m.ratios.softToSimulated)}) | ${clock(m.stackSetsStrict.totalSeconds)} (${x(m.ratios.strictToSimulated)}) `
      + `| ${m.stackSetsUngated ? `${clock(m.stackSetsUngated.soft.totalSeconds)} (${x(m.ratios.ungatedSoftToSimulated!)})` : '-'} `
      + `| ${r.counts.throttledCalls.toLocaleString('en-US')} | ${r.wallSeconds.toFixed(1)} s | ${mib(r.peakRssBytes)} |`;
  });
  const lines = [
    '| accounts x services | deployments | result | simulated | lower bound, this run\'s stack times (simulated / it) | lower bound, shortest stack times (simulated / it) | StackSets SOFT, gated (/ simulated) | StackSets STRICT tol. 0, gated (/ simulated) | StackSets SOFT, ungated (/ simulated) | throttled calls | wall | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ];
  if (results.length >= 2) {
    const [small, large] = [results[0], results[results.length - 1]];
    const accounts = large.tenants / small.tenants;
    const wall = (large.wallSeconds - large.setupSeconds) / Math.max(1e-9, small.wallSeconds - small.setupSeconds);
    lines.push('', `Growth from ${small.tenants.toLocaleString('en-US')} to ${large.tenants.toLocaleString('en-US')} accounts (${accounts}x): wall time of the run ${wall.toFixed(1)}x (linear: ${accounts}x), peak RSS ${(large.peakRssBytes / small.peakRssBytes).toFixed(1)}x.`);
  }
  return lines.join('\n');
}

/** Per wave of one run: the Map Run's time next to its bound, and where the difference sits. */
function gapTable(r: SizeResult): string {
  const s = (x: number) => `${x.toFixed(0)} s`;
  return [
    `Per wave of the ${r.tenants.toLocaleString('en-US')} x ${r.services} run (Map Run only, bakes excluded; bound from this run's stack times):`,
    '',
    '| wave | deployments | simulated | bound (binding) | start ramp | longest stack | last stack ends at | after the last stack |',
    '|---|---|---|---|---|---|---|---|',
    ...r.waveGaps.map((g) => `| ${g.label} | ${g.deployments.toLocaleString('en-US')} | ${s(g.simulatedSeconds)} | ${s(g.boundSeconds)} (${g.binding}) | ${s(g.rampSeconds)} | ${s(g.longestStackSeconds)} | ${s(g.lastStackEndSeconds)} | ${s(g.afterLastStackSeconds)} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) {
    const i = process.argv.indexOf('--child');
    await child(Number(process.argv[i + 1]), Number(process.argv[i + 2]), arg('--chart'));
    return;
  }
  const sizes = (arg('--tenants') ?? '600,6000').split(',').map(Number);
  const services = Number(arg('--services') ?? 20);
  const write = !process.argv.includes('--no-write');
  const results = sizes.map((tenants, i) => runSize(tenants, services, write && i === sizes.length - 1 ? CHART : undefined));
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf-8' }).trim();
  const section = [
    START,
    `### bench:rollout, ${new Date().toISOString()}, ${machine()}, commit ${commit}`,
    '',
    table(results),
    '',
    gapTable(results[results.length - 1]),
    '',
    `Seed 1; defaults of \`fleet rollout simulate\` (rings 1% / 10% / rest, 2 dependency levels, 30 min bake, CloudFormation 5 calls/s per account). Chart of the ${results[results.length - 1].tenants.toLocaleString('en-US')}-account run: [docs/benchmarks/rollout.svg](benchmarks/rollout.svg).`,
    '',
    '![stack updates in flight over virtual time, per wave](benchmarks/rollout.svg)',
    END,
  ].join('\n');
  process.stdout.write(`${section}\n`);
  if (!write) return;
  const md = readFileSync(BENCHMARKS_MD, 'utf-8');
  const at = md.indexOf(START);
  const next = at >= 0 ? `${md.slice(0, at)}${section}${md.slice(md.indexOf(END) + END.length)}` : `${md.trimEnd()}\n\n## bench:rollout\n\n${section}\n`;
  writeFileSync(BENCHMARKS_MD, next);
  process.stderr.write(`bench:rollout: wrote ${path.relative(REPO, BENCHMARKS_MD)} and ${path.relative(REPO, CHART)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
