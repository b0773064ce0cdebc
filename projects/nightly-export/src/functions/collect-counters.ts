/** What each step receives: the schedule's input, and the steps of this run done so far. */
export interface JobRun {
  /** When the run was scheduled (Scheduler's `<aws.scheduler.scheduled-time>`). */
  readonly scheduledTime: string;
  /** The schedule's execution id: the same on every retry of one run. */
  readonly executionId: string;
  readonly stepsDone?: readonly string[];
}

/**
 * Reads the counters of the day to export.
 *
 * A step of nightly-export. This file is yours: regeneration never overwrites it.
 * It may read the job's table (`process.env.TABLE_NAME`).
 */
export async function handler(run: JobRun): Promise<JobRun> {
  return { ...run, stepsDone: [...(run.stepsDone ?? []), 'collect-counters'] };
}
