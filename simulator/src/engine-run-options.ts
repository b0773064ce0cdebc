/**
 * The ONE place where a simulation's `runExecution` options are assembled.
 *
 * The local runtime runs the engine on its virtual-time scheduler: calls reach the simulated AWS
 * in virtual-time order, Step Functions' own quotas (state-transition bucket, Map Run child start
 * rate, 10,000 children per Map Run) are enforced by the runtime as delays, and a crash is
 * `stopAtVirtualTime` (StopExecution at that instant: the run ends ABORTED there).
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
  /** Sees every state as it ends, in the Distributed Map children too (their trace is off). */
  readonly onStateExited?: RunExecutionOptions['onStateExited'];
  /** Sees every engine call (virtual time, state, parameters) before it is served. */
  readonly observe?: (request: IntegrationRequest) => void;
  readonly executionName: string;
}

export function engineRunOptions(inputs: EngineRunInputs): { options: RunExecutionOptions; crashed(status: string): boolean } {
  const observe = inputs.observe;
  const wrap = (integration: Integration): Integration => (request) => {
    observe?.(request);
    return integration(request);
  };
  const integrations = observe ? Object.fromEntries(Object.entries(inputs.integrations).map(([prefix, integration]) => [prefix, wrap(integration)])) : inputs.integrations;
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
    onStateExited: inputs.onStateExited,
    quotas: {
      stateTransitions: inputs.quotas.stateTransitions,
      distributedMapChildStartsPerSecond: inputs.quotas.distributedMapChildStartsPerSecond,
      maxDistributedMapConcurrency: inputs.quotas.maxDistributedMapConcurrency,
    },
    ...(inputs.crashAtMs !== undefined ? { stopAtVirtualTime: new Date(inputs.crashAtMs) } : {}),
  };
  return { options, crashed: (status) => inputs.crashAtMs !== undefined && status === 'ABORTED' };
}
