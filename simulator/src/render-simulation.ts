/**
 * The timeline summary people read after `fleet rollout simulate`: per wave its virtual
 * duration next to its lower bounds (from this run's stack times, and from the shortest stack
 * times), then the totals against both bounds and StackSets (gated as the engine is, and not).
 */
import type { ModelComparison } from './compare-models';
import type { FleetSimulation, SimulationRun } from './fleet-simulation';
import { RolloutChart } from '@fleet/rollout';

/** Seconds as h:mm:ss. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

const n = (x: number) => x.toLocaleString('en-US');
const ratio = (x: number) => `${x.toFixed(x >= 10 ? 0 : 2)}x`;

export function renderSimulation(sim: FleetSimulation, run: SimulationRun, models: ModelComparison, chartPath?: string): string {
  const services = sim.fleet.releases.length;
  const tenants = sim.fleet.registry.tenants.length;
  const rows = run.waves.map((w, i) => {
    const duration = w.startSeconds === undefined ? '-' : clock((w.gateEndSeconds ?? w.endSeconds!) - w.startSeconds);
    return [w.label, n(w.deployments), n(w.accounts), w.startSeconds === undefined ? '-' : clock(w.startSeconds), w.endSeconds === undefined ? '-' : clock(w.gateEndSeconds ?? w.endSeconds), duration, clock(models.waveLowerBounds[i].seconds), clock(models.waveLowerBounds[i].minimumSeconds), w.outcome];
  });
  const header = ['wave', 'deployments', 'accounts', 'start', 'end', 'duration', 'lower bound', 'shortest-time bound', 'outcome'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `  ${cells.map((cell, c) => (c === 1 || c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ')}`.trimEnd();
  const c = run.counts;
  const outcome = run.status === 'SUCCEEDED' ? 'SUCCEEDED' : `${run.status}${run.error ? ` (${run.error}${run.cause ? `: ${run.cause}` : ''})` : ''}`;
  return [
    `Simulated rollout ${run.rolloutId}: ${n(tenants)} tenants x ${n(services)} services = ${n(c.planned)} deployments in ${run.waves.length} waves (seed ${sim.options.seed ?? 1})`,
    line(header),
    ...rows.map(line),
    '',
    `Result: ${outcome} after ${clock(run.virtualSeconds)} of virtual time; lower bound ${clock(models.realizedBound.totalSeconds)} from this run's stack times (${ratio(models.ratios.simulatedToRealizedBound)} of it), ${clock(models.lowerBound.totalSeconds)} from the shortest stack times (${ratio(models.ratios.simulatedToLowerBound)})`,
    `StackSets under the same constraints${models.stackSetsGated ? ', gated by the same rings and bakes' : ''}: SOFT ${clock(models.stackSetsSoft.totalSeconds)} (${ratio(models.ratios.softToSimulated)} the simulated time), STRICT tolerance 0 ${clock(models.stackSetsStrict.totalSeconds)} (${ratio(models.ratios.strictToSimulated)})`,
    ...(models.stackSetsUngated
      ? [`StackSets ungated (one operation per stack set over every tenant, no bake): SOFT ${clock(models.stackSetsUngated.soft.totalSeconds)} (${ratio(models.ratios.ungatedSoftToSimulated!)}), STRICT tolerance 0 ${clock(models.stackSetsUngated.strict.totalSeconds)} (${ratio(models.ratios.ungatedStrictToSimulated!)})`]
      : []),
    `Deployments: ${n(c.deployed)} deployed, ${n(c.unchanged)} unchanged, ${n(c.failed)} failed, ${n(c.skipped)} skipped, ${n(c.inProgress)} in progress, ${n(c.notReached)} not reached`,
    `CloudFormation: ${n(c.cloudFormationCalls)} calls, ${n(c.throttledCalls)} throttled, ${n(c.retries)} retries and back-offs, ${n(c.stackUpdates)} stack updates`,
    `Simulation: ${run.wallSeconds.toFixed(1)} s wall, peak RSS ${Math.round(run.peakRssBytes / 2 ** 20)} MiB`,
    ...(chartPath ? [`Chart: ${chartPath}`] : []),
  ].join('\n');
}

/** The chart's data: every stack update, a marker per ring end and the two lower bounds. */
export function rolloutChart(sim: FleetSimulation, run: SimulationRun, models: ModelComparison): RolloutChart {
  const markers: { label: string; seconds: number }[] = [];
  for (const ring of new Set(run.waves.map((w) => w.ring))) {
    const last = [...run.waves].reverse().find((w) => w.ring === ring && w.endSeconds !== undefined);
    if (last) markers.push({ label: `${ring} done`, seconds: last.gateEndSeconds ?? last.endSeconds! });
  }
  markers.push({ label: 'lower bound', seconds: models.realizedBound.totalSeconds });
  markers.push({ label: 'shortest-time bound', seconds: models.lowerBound.totalSeconds });
  return {
    title: `Simulated rollout: ${sim.fleet.registry.tenants.length.toLocaleString('en-US')} accounts x ${sim.fleet.releases.length} services, stack updates in flight per wave (${run.status})`,
    intervals: [...run.intervals],
    markers,
  };
}
