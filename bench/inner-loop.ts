/**
 * bench:inner-loop — what a developer waits for, with the synthesis cache against the same
 * commands with the cache off (FLEET_SYNTH_CACHE=off), measured in the same run, interleaved:
 * `fleet run scan-ingest` cold (empty cache) and warm, `fleet cost --tenants 6000` warm, and
 * (with --with-build) scan-ingest's `npx projen build` and its `npx jest`.
 *
 *   npm run bench:inner-loop                        # 3 rounds, appends to docs/benchmarks.md
 *   npm run bench:inner-loop -- --rounds 1 --no-record --with-build
 *
 * Each figure is the median over the rounds of one child process: wall time and CPU time
 * (user + system of the child, from /proc/self/stat, so a loaded shared machine shows in the
 * wall time and much less in the CPU time).
 */
import { spawnSync } from 'child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { cpus, loadavg, totalmem } from 'os';
import * as path from 'path';
import { childrenCpu } from './children-cpu';

const REPO = path.resolve(__dirname, '..');
const BENCHMARKS_MD = path.join(REPO, 'docs', 'benchmarks.md');
const SECTION = '## bench:inner-loop';
const CACHE_DIR = path.join(REPO, 'node_modules', '.cache', 'fleet-synth');
const FLEET = path.join(REPO, 'cli', 'bin', 'fleet.js');
const SERVICE = path.join(REPO, 'projects', 'scan-ingest');

interface Sample { readonly wallS: number; readonly cpuS: number }

function measure(command: string, args: string[], cwd: string, env: Record<string, string | undefined>): Sample {
  const cpuBefore = childrenCpu();
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${(result.stdout + result.stderr).slice(-2000)}`);
  }
  return { wallS, cpuS: childrenCpu() - cpuBefore };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Case { readonly name: string; readonly run: (cache: 'on' | 'off') => Sample }

function main(): void {
  const argv = process.argv.slice(2);
  const rounds = Number(argv[argv.indexOf('--rounds') + 1] ?? 3) || 3;
  const record = !argv.includes('--no-record');
  const withBuild = argv.includes('--with-build');
  const input = path.join(SERVICE, 'events', 'scan-uploaded.json');
  const env = (cache: 'on' | 'off') => ({ FLEET_SYNTH_CACHE: cache === 'off' ? 'off' : '' });
  const cases: Case[] = [
    {
      name: '`fleet run scan-ingest` cold (empty cache)',
      run: (cache) => {
        rmSync(CACHE_DIR, { recursive: true, force: true });
        return measure(process.execPath, [FLEET, 'run', 'scan-ingest', '--input', input], REPO, env(cache));
      },
    },
    { name: '`fleet run scan-ingest` warm', run: (cache) => measure(process.execPath, [FLEET, 'run', 'scan-ingest', '--input', input], REPO, env(cache)) },
    { name: '`fleet graph scan-ingest` warm', run: (cache) => measure(process.execPath, [FLEET, 'graph', 'scan-ingest'], REPO, env(cache)) },
    { name: '`fleet cost --tenants 6000` warm', run: (cache) => measure(process.execPath, [FLEET, 'cost', '--tenants', '6000'], REPO, env(cache)) },
  ];
  if (withBuild) {
    cases.push(
      { name: 'scan-ingest `npx jest`', run: (cache) => measure('npx', ['jest'], SERVICE, env(cache)) },
      { name: 'scan-ingest `npx projen build`', run: (cache) => measure('npx', ['projen', 'build'], SERVICE, env(cache)) },
    );
  }
  // Prime the cache once so that "warm" means warm in the first round too.
  measure(process.execPath, [FLEET, 'run', 'scan-ingest', '--input', input], REPO, env('on'));
  const samples = new Map<string, { on: Sample[]; off: Sample[] }>(cases.map((c) => [c.name, { on: [], off: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      for (const cache of ['off', 'on'] as const) {
        samples.get(c.name)![cache].push(c.run(cache));
        // A cold case leaves the cache empty or filled by the cache-off run (which never writes).
        if (cache === 'off') measure(process.execPath, [FLEET, 'run', 'scan-ingest', '--input', input], REPO, env('on'));
      }
    }
  }
  const fmt = (x: number) => x.toFixed(2);
  const lines = [
    `### bench:inner-loop, ${new Date().toISOString()}, ${cpus().length} x ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`,
    '',
    `Medians of ${rounds} round(s); cache off = \`FLEET_SYNTH_CACHE=off\` (every command synthesizes, as before the cache).`,
    '',
    '| command | cache off wall (s) | cache off CPU (s) | cache on wall (s) | cache on CPU (s) | CPU ratio off/on |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const c of cases) {
    const s = samples.get(c.name)!;
    const off = { wall: median(s.off.map((x) => x.wallS)), cpu: median(s.off.map((x) => x.cpuS)) };
    const on = { wall: median(s.on.map((x) => x.wallS)), cpu: median(s.on.map((x) => x.cpuS)) };
    lines.push(`| ${c.name} | ${fmt(off.wall)} | ${fmt(off.cpu)} | ${fmt(on.wall)} | ${fmt(on.cpu)} | ${(off.cpu / on.cpu).toFixed(1)}x |`);
  }
  lines.push('');
  const report = lines.join('\n');
  console.log(report);
  if (record) {
    appendToSection(report);
    console.log(`Appended to ${path.relative(REPO, BENCHMARKS_MD)} under "${SECTION}".`);
  }
}

/** Appends `report` at the end of the `## bench:inner-loop` section, creating it if needed. */
function appendToSection(report: string): void {
  const text = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf(`${SECTION}\n`);
  if (start < 0) {
    appendFileSync(BENCHMARKS_MD, `${text.endsWith('\n') ? '' : '\n'}\n${SECTION}\n\n${report}`);
    return;
  }
  const nextSection = text.indexOf('\n## ', start + SECTION.length);
  const end = nextSection < 0 ? text.length : nextSection + 1;
  const before = text.slice(0, end).replace(/\n*$/, '\n\n');
  writeFileSync(BENCHMARKS_MD, `${before}${report}${nextSection < 0 ? '' : `\n${text.slice(end)}`}`);
}

main();
