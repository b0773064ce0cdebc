/**
 * The ONE place where a simulation's `runExecution` options are assembled, so switching to the
 * local runtime's scheduler options is one edit here.
 *
 * Today's runtime: the crash is the `abort` option, flipped by an integration wrapper at the
 * first engine call whose virtual time is at or past the crash time (StopExecution at that
 * point); Step Functions quotas are not enforced by the runtime (only the models use them).
 * With the virtual-time scheduler of the local runtime, pass instead:
 *   quotas: { stateTransitions: q.stateTransitions, distributedMapChildStartsPerSecond: q.distributedMapChildStartsPerSecond,
 *             maxDistributedMapConcurrency: q.maxDistributedMapConcurrency },
 *   stopAtVirtualTime: crashAt,
 * and drop the abort wrapper.
 */
import type { Integration, IntegrationRequest, ItemReaderRequest, ResultWriterRequest, RunExecutionOptions } from '@fleet/workflows/testing';
import type { StepFunctionsQuotas } from './simulation-options';

export interface EngineRunInputs {
  readonly integrations: Record<string, Integration>;
  readonly itemReader: (request: ItemReaderRequest) => unknown;
  readonly resultWriter: (request: ResultWriterRequest) => unknown;
  readonly startTime: string;
  readonly region: string;
  readonly accountId: string;
  readonly seed: number;
  readonly quotas: StepFunctionsQuotas;
  /** Stop the execution at the first call at or after this virtual time (epoch ms). */
  readonly crashAtMs?: number;
  /** Sees every engine call (virtual time, state, parameters) before it is served. */
  readonly observe?: (request: IntegrationRequest) => void;
  readonly executionName: string;
}

export function engineRunOptions(inputs: EngineRunInputs): { options: RunExecutionOptions; crashed(): boolean } {
  const abort = { aborted: false };
  const wrap = (integration: Integration): Integration => (request) => {
    const now = request.context.now().getTime();
    if (inputs.crashAtMs !== undefined && now >= inputs.crashAtMs) abort.aborted = true;
    inputs.observe?.(request);
    return integration(request);
  };
  const integrations = Object.fromEntries(Object.entries(inputs.integrations).map(([prefix, integration]) => [prefix, wrap(integration)]));
  const options: RunExecutionOptions = {
    integrations,
    itemReader: inputs.itemReader,
    resultWriter: inputs.resultWriter,
    startTime: inputs.startTime,
    region: inputs.region,
    accountId: inputs.accountId,
    seed: inputs.seed,
    executionName: inputs.executionName,
    stateMachineName: 'FleetRolloutEngine',
    // The runtime counts a top-level execution's transitions together with its Distributed Map
    // children's (a frame without its own counter uses the run's total), so AWS's 25,000 per
    // execution would stop a fleet rollout at its first large wave; a child's loops stay bounded
    // by the engine's own maxPolls and throttleAttempts.
    maxStateTransitions: Number.MAX_SAFE_INTEGER,
    // The trace keeps state names and times (the timeline reads them), not each state's data.
    traceData: false,
    abort,
  };
  return { options, crashed: () => abort.aborted };
}
