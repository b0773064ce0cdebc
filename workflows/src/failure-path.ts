import { WORKFLOW_FAILED_DETAIL_TYPE } from '@fleet/contracts';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** Properties of a `FailurePath`. */
export interface FailurePathProps {
  /** The bus that receives the `Workflow Failed` event (usually `ServiceStack.failureBus`). */
  readonly failureBus: events.IEventBus;

  /** Service name; the event source is `fleet.<serviceName>`. */
  readonly serviceName: string;
}

/** `detail-type` of the event a failed execution sends to the failure bus. */
export { WORKFLOW_FAILED_DETAIL_TYPE };

/**
 * The shared end of every failed execution: report, then fail with the original error.
 *
 * Expects the error in `$.error` (`{ Error, Cause }`, where a Catch with `resultPath: '$.error'`
 * puts it). A state routed here without `$.error` (for example a Choice) gets a generic
 * `Fleet.WorkflowFailed` error instead of a `States.Runtime` failure on a missing path.
 *
 * States: `Has error?` (Choice) -> [`Default error` (Pass)] -> `Report failure`
 * (EventBridge PutEvents, source `fleet.<serviceName>`, detail-type `Workflow Failed`, detail
 * `{ executionId, stateMachineId, error }`) -> `Workflow failed` (Fail, re-raising
 * `$.error.Error` / `$.error.Cause`). The tenant is the `account` of the event envelope.
 *
 * The PutEvents task never routes back into this path: it retries briefly, then goes straight
 * to the Fail state, so the execution still fails with the original error when reporting fails.
 */
export class FailurePath extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  /** None: the path ends in a Fail state. */
  public readonly endStates: sfn.INextable[] = [];

  /** The PutEvents task reporting the failure. */
  public readonly reportTask: tasks.EventBridgePutEvents;

  /** The final Fail state. */
  public readonly failState: sfn.Fail;

  public constructor(scope: Construct, id: string, props: FailurePathProps) {
    super(scope, id);

    this.failState = new sfn.Fail(this, 'Workflow failed', {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });

    this.reportTask = new tasks.EventBridgePutEvents(this, 'Report failure', {
      entries: [{
        eventBus: props.failureBus,
        source: `fleet.${props.serviceName}`,
        detailType: WORKFLOW_FAILED_DETAIL_TYPE,
        detail: sfn.TaskInput.fromObject({
          executionId: sfn.JsonPath.executionId,
          stateMachineId: sfn.JsonPath.stateMachineId,
          error: sfn.JsonPath.objectAt('$.error'),
        }),
      }],
      // Keep the input, so the Fail state still sees $.error.
      resultPath: sfn.JsonPath.DISCARD,
    });
    // Jittered: a regional EventBridge hiccup hits many tenants' executions at once.
    this.reportTask.addRetry({
      errors: [sfn.Errors.ALL],
      interval: Duration.seconds(1),
      maxAttempts: 2,
      backoffRate: 2,
      jitterStrategy: sfn.JitterType.FULL,
    });
    this.reportTask.addCatch(this.failState, { errors: [sfn.Errors.ALL], resultPath: sfn.JsonPath.DISCARD });
    this.reportTask.next(this.failState);

    const defaultError = new sfn.Pass(this, 'Default error', {
      result: sfn.Result.fromObject({ Error: 'Fleet.WorkflowFailed', Cause: 'The workflow was routed to the failure path without $.error' }),
      resultPath: '$.error',
    });
    defaultError.next(this.reportTask);

    this.startState = new sfn.Choice(this, 'Has error?')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.error.Error'), sfn.Condition.isPresent('$.error.Cause')), this.reportTask)
      .otherwise(defaultError);
  }
}
