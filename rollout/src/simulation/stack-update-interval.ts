/**
 * One stack update in one tenant account, in virtual seconds from the start of the rollout: the
 * unit every model and the simulator report, and what the chart draws.
 */
export interface StackUpdateInterval {
  /** The wave (engine) or dependency level (StackSets) the update belongs to; the chart draws one band per distinct value. */
  readonly wave: string;
  readonly account: string;
  readonly service: string;
  /** The Region, when the model has more than one. */
  readonly region?: string;
  readonly startSeconds: number;
  readonly endSeconds: number;
  /**
   * How long the update's change set took to create, before `startSeconds` (the engine's model;
   * with the interval, the CloudFormation work of the deployment, for `realizedLowerBound`).
   * Absent: unknown, or included in the interval (a change set with nothing to change).
   */
  readonly changeSetSeconds?: number;
  /** `unchanged`: the change set had nothing to change (a no-op, still in flight while it was created). */
  readonly outcome: 'deployed' | 'failed' | 'unchanged';
}
