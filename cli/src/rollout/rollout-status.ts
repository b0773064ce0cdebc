import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, DescribeMapRunCommand, ListMapRunsCommand, MapRunListItem } from '@aws-sdk/client-sfn';
import { RELEASE_STATUS_TABLE, ROLLOUT_CONTROL_PARTITION, ROLLOUT_KEYS, RolloutInput } from '@fleet/contracts';
import { CliError } from '../errors';
import { awsCall } from './aws-errors';
import { findControlPlane } from './control-plane';
import { rolloutExecutionArn } from './rollout-control';
import { RolloutDeps } from './rollout-clients';
import { scanStatusTable } from './status-table';
import { checkRolloutId } from './start-rollout';
import { terminalSafe } from './terminal-safe';

export interface WaveCounts {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly running: number;
  readonly pending: number;
  readonly timedOut: number;
  readonly aborted: number;
}

export interface WaveStatus {
  readonly index: number;
  readonly ring: string;
  readonly itemCount: number;
  /** The Map Run's status, or NOT_STARTED. */
  readonly state: string;
  readonly counts: WaveCounts;
}

export interface RolloutStatusReport {
  readonly rolloutId: string;
  readonly executionArn: string;
  readonly execution: { readonly status: string; readonly error?: string; readonly cause?: string };
  readonly control?: string;
  readonly waves: readonly WaveStatus[];
  /** Deployments of this rollout by state, from the status table. */
  readonly states: Readonly<Record<string, number>>;
  readonly failures: ReadonlyArray<{ tenantId: string; service: string; region: string; status: string; reason: string }>;
  /** What the rollout waits on, when it waits. */
  readonly waiting?: string;
}

export interface StatusOptions {
  readonly region: string;
  readonly controlPlaneStack?: string;
  readonly rolloutId: string;
}

const FAILED_STATES = ['FAILED', 'ROLLED_BACK'];

/**
 * The live state of a rollout: the execution, one Map Run per wave (waves run one after the
 * other, so the n-th Map Run started is wave n), item counts per wave (DescribeMapRun), the
 * deployments by state and the failures with their reason (status table), and any gate or pause.
 */
export async function rolloutStatus(options: StatusOptions, deps: RolloutDeps): Promise<RolloutStatusReport> {
  checkRolloutId(options.rolloutId, 'rolloutId', 'use the id npx fleet rollout start printed, for example rollout-20261201T230500Z');
  const controlPlane = await findControlPlane(deps.cfn(options.region), options.controlPlaneStack);
  const input = await readPlan(deps, options, controlPlane.rolloutBucket);
  const sfn = deps.sfn(options.region);
  const executionArn = rolloutExecutionArn(controlPlane.stateMachineArn, options.rolloutId);
  const execution = await awsCall(`Reading execution ${executionArn}`, `states:DescribeExecution on ${executionArn}`, () => sfn.send(new DescribeExecutionCommand({ executionArn })));
  const mapRuns: MapRunListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall(`Listing the Map Runs of ${executionArn}`, `states:ListMapRuns on ${executionArn}`, () => sfn.send(new ListMapRunsCommand({ executionArn, nextToken })));
    mapRuns.push(...(page.mapRuns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  mapRuns.sort((a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0));
  const waves: WaveStatus[] = [];
  for (const wave of input.waves) {
    const run = mapRuns[wave.index];
    if (!run?.mapRunArn) {
      waves.push({ index: wave.index, ring: wave.ring, itemCount: wave.itemCount, state: 'NOT_STARTED', counts: { total: wave.itemCount, succeeded: 0, failed: 0, running: 0, pending: wave.itemCount, timedOut: 0, aborted: 0 } });
      continue;
    }
    const described = await awsCall(`Reading Map Run ${run.mapRunArn}`, `states:DescribeMapRun on ${run.mapRunArn}`, () => sfn.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn })));
    const c = described.itemCounts;
    waves.push({
      index: wave.index, ring: wave.ring, itemCount: wave.itemCount, state: described.status ?? 'UNKNOWN',
      counts: { total: c?.total ?? wave.itemCount, succeeded: c?.succeeded ?? 0, failed: c?.failed ?? 0, running: c?.running ?? 0, pending: c?.pending ?? 0, timedOut: c?.timedOut ?? 0, aborted: c?.aborted ?? 0 },
    });
  }
  const rows = await scanStatusTable(deps.dynamodb(options.region), controlPlane.statusTable, options.rolloutId);
  const states: Record<string, number> = {};
  for (const row of rows) states[row.status ?? 'UNKNOWN'] = (states[row.status ?? 'UNKNOWN'] ?? 0) + 1;
  const failures = rows.filter((r) => FAILED_STATES.includes(r.status ?? '')).map((r) => {
    const [service, region] = r.serviceRegion.split('#');
    return { tenantId: r.tenantId, service, region, status: r.status!, reason: r.reason ?? '(no reason recorded)' };
  }).sort((a, b) => `${a.tenantId}/${a.service}/${a.region}`.localeCompare(`${b.tenantId}/${b.service}/${b.region}`));
  const controlItem = await awsCall(`Reading the control item of ${options.rolloutId}`, `dynamodb:GetItem on table ${controlPlane.statusTable}`, () => deps.dynamodb(options.region).send(new GetItemCommand({
    TableName: controlPlane.statusTable,
    Key: { [RELEASE_STATUS_TABLE.partitionKey]: { S: ROLLOUT_CONTROL_PARTITION }, [RELEASE_STATUS_TABLE.sortKey]: { S: options.rolloutId } },
  })));
  const control = controlItem.Item?.control?.S;
  return {
    rolloutId: options.rolloutId,
    executionArn,
    execution: { status: execution.status ?? 'UNKNOWN', error: execution.error, cause: execution.cause },
    control,
    waves,
    states,
    failures,
    waiting: waitingOn(execution.status, control, waves, input),
  };
}

function waitingOn(status: string | undefined, control: string | undefined, waves: readonly WaveStatus[], input: RolloutInput): string | undefined {
  if (status !== 'RUNNING') return undefined;
  if (control === 'PAUSED') return 'paused: no new wave or deployment starts until npx fleet rollout resume';
  const lastDone = waves.map((w) => w.state).lastIndexOf('SUCCEEDED');
  const next = waves[lastDone + 1];
  if (lastDone >= 0 && (next === undefined || next.state === 'NOT_STARTED')) {
    const gate = input.waves[lastDone].gate;
    const rules = [`bake ${gate.bakeSeconds / 60} min`, ...(gate.alarmNames.length ? [`alarms ${gate.alarmNames.join(', ')} not in ALARM`] : []), ...(gate.minimumExecutions ? [`at least ${gate.minimumExecutions} executions`] : [])];
    return `gate after wave ${lastDone} (${waves[lastDone].ring}): ${rules.join(', ')}`;
  }
  return undefined;
}

async function readPlan(deps: RolloutDeps, options: StatusOptions, bucket: string): Promise<RolloutInput> {
  const key = ROLLOUT_KEYS.plan(options.rolloutId);
  try {
    const object = await deps.s3(options.region).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await object.Body!.transformToString()) as RolloutInput;
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') {
      throw new CliError({ subject: `No rollout ${options.rolloutId}`, problem: `s3://${bucket}/${key} does not exist`, fix: `use the id npx fleet rollout start printed (the rollouts are under s3://${bucket}/rollouts/)` });
    }
    return awsCall(`Reading s3://${bucket}/${key}`, `s3:GetObject on arn:aws:s3:::${bucket}/rollouts/*`, () => Promise.reject(error));
  }
}

const BAR = 24;

/** The report as people read it: a bar per wave, states, failures by tenant, what it waits on. */
export function renderStatus(report: RolloutStatusReport): string {
  const lines = [`Rollout ${report.rolloutId}: execution ${report.execution.status}${report.control ? `, control ${report.control}` : ''}`];
  if (report.execution.error) lines.push(`  ${report.execution.error}: ${report.execution.cause ?? ''}`.trimEnd());
  for (const wave of report.waves) {
    const c = wave.counts;
    const done = c.succeeded + c.failed + c.timedOut + c.aborted;
    const filled = c.total === 0 ? BAR : Math.round((done / c.total) * BAR);
    const detail = [`${c.succeeded} succeeded`, ...(c.failed ? [`${c.failed} failed`] : []), ...(c.timedOut ? [`${c.timedOut} timed out`] : []), ...(c.aborted ? [`${c.aborted} aborted`] : []), ...(c.running ? [`${c.running} running`] : []), ...(c.pending ? [`${c.pending} pending`] : [])];
    lines.push(`Wave ${String(wave.index).padStart(2)} ${wave.ring.padEnd(8)} [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${done}/${c.total} ${wave.state}: ${detail.join(', ')}`);
  }
  const states = Object.entries(report.states).sort(([a], [b]) => a.localeCompare(b));
  lines.push(`Deployments by state: ${states.length ? states.map(([s, n]) => `${s} ${n}`).join(', ') : '(none recorded yet)'}`);
  if (report.failures.length > 0) {
    lines.push('Failures:');
    for (const f of report.failures) lines.push(`  ${f.tenantId} ${f.service} ${f.region} ${f.status}: ${f.reason}`);
  }
  if (report.waiting) lines.push(`Waiting: ${report.waiting}`);
  return lines.map(terminalSafe).join('\n');
}
