import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { WorkflowContext } from '@fleet/workflows';

/**
 * The scan-ingest workflow. This file is yours: regeneration never overwrites it.
 *
 * `ctx.invoke(name)` gives a Lambda task that retries Lambda service errors and catches
 * every other error into the shared failure path (which reports to the central failure bus).
 */
export function defineWorkflow(ctx: WorkflowContext): sfn.IChainable {
  // A rule that targets the state machine passes the whole EventBridge event; the steps work on its detail.
  return sfn.Chain.start(ctx.invoke('validate-scan', { payload: sfn.TaskInput.fromJsonPathAt('$.detail') }))
    .next(ctx.invoke('deduplicate-scan'))
    .next(ctx.invoke('enrich-scan'))
    .next(ctx.invoke('store-scan'))
    .next(ctx.invoke('count-scan'))
    .next(new sfn.Succeed(ctx.scope, 'Done'));
}
