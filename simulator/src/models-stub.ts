/**
 * STUB of the pure models that "models" writes in `rollout/src/simulation/` (@fleet/rollout):
 * the same names and shapes, simple bodies, so the simulator runs before that branch merges.
 * The lead replaces this file by `export * from '@fleet/rollout'` (or the import in
 * `compare-models.ts`); nothing else in the simulator reads these bodies.
 */

export interface WaveShape {
  readonly label: string;
  readonly deployments: number;
  readonly accounts: number;
  readonly maxConcurrency: number;
  readonly bakeSeconds: number;
}

export interface SecondsInterval { readonly min: number; readonly max: number }

export interface StackTimes {
  readonly changeSetSeconds: SecondsInterval;
  readonly deploySeconds: SecondsInterval;
}

export interface StackUpdateInterval {
  readonly wave: string;
  readonly account: string;
  readonly service: string;
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly outcome: 'deployed' | 'failed' | 'unchanged';
}

export interface RolloutChart {
  readonly title: string;
  readonly intervals: StackUpdateInterval[];
  readonly markers: { label: string; seconds: number }[];
}

/** The quotas the models take (rollout-facts.md). */
export interface FleetQuotas {
  /** Distributed Map: parallel child executions per Map Run. */
  readonly maxDistributedMapConcurrency: number;
  /** Distributed Map: Standard child executions started per second. */
  readonly distributedMapChildStartsPerSecond: number;
  /** CloudFormation API calls per second per account (unverified, users report about 5). */
  readonly cloudFormationCallsPerSecond: number;
  /** StackSets: stack-instance operations at once per Region and administrator account. */
  readonly stackSetConcurrentOperations: number;
}

export const FLEET_QUOTA_DEFAULTS: FleetQuotas = {
  maxDistributedMapConcurrency: 10_000,
  distributedMapChildStartsPerSecond: 100,
  cloudFormationCallsPerSecond: 5,
  stackSetConcurrentOperations: 10_000,
};

export interface LowerBound {
  readonly totalSeconds: number;
  readonly waves: { label: string; seconds: number }[];
}

/** STUB: per wave, the deployments in batches of the effective concurrency at the fastest stack time, plus the bake. */
export function rolloutLowerBound(waves: WaveShape[], stackTimes: StackTimes, quotas: Partial<FleetQuotas> = {}): LowerBound {
  const q = { ...FLEET_QUOTA_DEFAULTS, ...quotas };
  const fastest = stackTimes.changeSetSeconds.min + stackTimes.deploySeconds.min;
  const perWave = waves.map((w) => {
    const concurrency = Math.max(1, Math.min(w.maxConcurrency, q.maxDistributedMapConcurrency, w.deployments));
    const starts = w.deployments / q.distributedMapChildStartsPerSecond;
    return { label: w.label, seconds: Math.max(Math.ceil(w.deployments / concurrency) * fastest, starts + fastest) + w.bakeSeconds };
  });
  return { totalSeconds: perWave.reduce((s, w) => s + w.seconds, 0), waves: perWave };
}

export interface StackSetsModelOptions {
  readonly mode: 'STRICT' | 'SOFT';
  /** Stack sets (one per service), deployed one after another (dependency order). */
  readonly services: number;
  readonly accounts: number;
  readonly stackTimes: StackTimes;
  /** MaxConcurrentCount (SOFT); STRICT runs FailureToleranceCount + 1 at once. */
  readonly maxConcurrentCount: number;
  readonly failureToleranceCount: number;
  readonly quotas?: Partial<FleetQuotas>;
}

export interface StackSetsModelResult {
  readonly mode: 'STRICT' | 'SOFT';
  readonly totalSeconds: number;
}

/** STUB: each stack set in turn, its accounts in batches of the mode's concurrency at the mean stack time. */
export function simulateStackSets(options: StackSetsModelOptions): StackSetsModelResult {
  const q = { ...FLEET_QUOTA_DEFAULTS, ...options.quotas };
  const mean = (r: SecondsInterval) => (r.min + r.max) / 2;
  const stack = mean(options.stackTimes.changeSetSeconds) + mean(options.stackTimes.deploySeconds);
  const concurrency = options.mode === 'STRICT'
    ? options.failureToleranceCount + 1
    : Math.max(1, Math.min(options.maxConcurrentCount, q.stackSetConcurrentOperations));
  const perStackSet = Math.ceil(options.accounts / concurrency) * stack;
  return { mode: options.mode, totalSeconds: perStackSet * options.services };
}

/** STUB chart: stack updates in flight over time (one polyline per wave) and the markers. */
export function renderRolloutChart(chart: RolloutChart): string {
  const width = 960;
  const height = 360;
  const pad = 48;
  const end = Math.max(1, ...chart.intervals.map((i) => i.endSeconds), ...chart.markers.map((m) => m.seconds));
  const waves = [...new Set(chart.intervals.map((i) => i.wave))];
  const buckets = 240;
  const step = end / buckets;
  const series = waves.map((wave) => {
    const counts = new Array<number>(buckets + 1).fill(0);
    for (const i of chart.intervals) {
      if (i.wave !== wave) continue;
      for (let b = Math.floor(i.startSeconds / step); b <= Math.min(buckets, Math.floor(i.endSeconds / step)); b++) counts[b]++;
    }
    return { wave, counts };
  });
  const peak = Math.max(1, ...series.flatMap((s) => s.counts));
  const x = (s: number) => pad + ((width - 2 * pad) * s) / end;
  const y = (n: number) => height - pad - ((height - 2 * pad) * n) / peak;
  const colours = ['#d62728', '#ff7f0e', '#1f77b4', '#2ca02c', '#9467bd', '#8c564b'];
  const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const lines = series.map((s, i) => `<polyline fill="none" stroke="${colours[i % colours.length]}" stroke-width="1.5" points="${s.counts.map((c, b) => `${x(b * step).toFixed(1)},${y(c).toFixed(1)}`).join(' ')}"><title>${escape(s.wave)}</title></polyline>`);
  const markers = chart.markers.map((m) => `<line x1="${x(m.seconds).toFixed(1)}" x2="${x(m.seconds).toFixed(1)}" y1="${pad}" y2="${height - pad}" stroke="#555" stroke-dasharray="4 3"/><text x="${x(m.seconds).toFixed(1)}" y="${pad - 6}" font-size="11" text-anchor="middle">${escape(m.label)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<text x="${pad}" y="20" font-size="14">${escape(chart.title)}</text>`,
    `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#000"/>`,
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#000"/>`,
    `<text x="${width / 2}" y="${height - 12}" font-size="11" text-anchor="middle">virtual time (s), 0 to ${Math.round(end)}</text>`,
    `<text x="12" y="${height / 2}" font-size="11" transform="rotate(-90 12 ${height / 2})" text-anchor="middle">stack updates in flight (peak ${peak})</text>`,
    ...lines,
    ...markers,
    '</svg>',
    '',
  ].join('\n');
}
