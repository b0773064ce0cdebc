/**
 * `fleet rollout simulate`: parse the flags, run the simulation with progress lines on stderr
 * (at most one a second, plus each new wave), write the chart, print the summary or JSON.
 * The CLI only registers the flags and calls this.
 */
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { getHeapStatistics } from 'v8';
import { compareWithModels } from './compare-models';
import { FleetSimulation } from './fleet-simulation';
import { renderRolloutChart } from '@fleet/rollout';
import { clock, renderSimulation, rolloutChart } from './render-simulation';
import { parseSimulateFlags, SimulateFlags } from './simulate-flags';
import { SimulationProgress } from './simulation-options';

export interface SimulateIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The fleet root (or any folder): the default chart goes to `<root>/.fleet/simulations/`. */
  readonly root: string;
  /** Where a `--chart` path is relative to. */
  readonly cwd: string;
  readonly now: () => Date;
  /** Real milliseconds, for throttling the progress lines. @default Date.now */
  readonly clockMs?: () => number;
}

/** Runs the command; returns the process exit code (0 when the rollout completed, 1 when it stopped). */
export async function runSimulateCommand(flags: SimulateFlags, io: SimulateIo): Promise<number> {
  const { simulation, chart, json } = parseSimulateFlags(flags);
  const realMs = io.clockMs ?? Date.now;
  io.stderr(`Simulating ${simulation.tenants.toLocaleString('en-US')} tenants x ${simulation.services ?? 20} services (synthesizing the rollout engine)...\n`);
  let lastMs = -Infinity;
  let lastWave = '';
  const onProgress = (p: SimulationProgress) => {
    const now = realMs();
    if (now - lastMs < 1_000 && p.wave === lastWave && p.done !== p.total) return;
    lastMs = now;
    lastWave = p.wave;
    io.stderr(`  ${clock(p.virtualSeconds)} virtual: ${p.done.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')} deployments done, wave ${p.wave}\n`);
  };
  const sim = new FleetSimulation({ ...simulation, onProgress });
  const run = await sim.run();
  const models = compareWithModels(sim, run);
  const chartPath = chart !== undefined
    ? path.resolve(io.cwd, chart)
    : path.resolve(io.root, '.fleet', 'simulations', `${io.now().toISOString().replace(/[:.]/g, '-')}.svg`);
  mkdirSync(path.dirname(chartPath), { recursive: true });
  writeFileSync(chartPath, renderRolloutChart(rolloutChart(sim, run, models)));
  const shown = path.relative(io.cwd, chartPath);
  if (json) {
    const { intervals, ...rest } = run;
    const heapLimitMiB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
    io.stdout(`${JSON.stringify({ ...rest, heapLimitMiB, stackUpdateIntervals: intervals.length, models, chart: shown }, null, 2)}\n`);
  } else {
    io.stdout(`${renderSimulation(sim, run, models, shown)}\n`);
  }
  return run.status === 'SUCCEEDED' ? 0 : 1;
}
