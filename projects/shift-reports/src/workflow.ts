import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { WorkflowContext } from '@fleet/workflows';

/**
 * The shift-reports workflow. This file is yours: regeneration never overwrites it.
 *
 * `Load shift scans` -> `Any scans?` -> `Compute shift metrics` -> `Detect anomalies` ->
 * `Anomalies found?` -> `Flag for review` | `Mark routine` -> `Store shift report` ->
 * `Format shift summary` -> `Report ready`. A shift nobody scanned in ends in `No scans in
 * shift`; an event that does not describe a shift ends in `Shift event rejected` without a
 * failure report. Every other error goes to the shared failure path (`ctx.invoke` catches it).
 */
export function defineWorkflow(ctx: WorkflowContext): sfn.IChainable {
  const { scope } = ctx;

  // A rule that targets the state machine passes the whole EventBridge event; the shift is its detail.
  const loadShiftScans = ctx.invoke('load-shift-scans', {
    stateName: 'Load shift scans',
    payload: sfn.TaskInput.fromJsonPathAt('$.detail'),
  });
  loadShiftScans.addCatch(
    new sfn.Fail(scope, 'Shift event rejected', { errorPath: '$.error.Error', causePath: '$.error.Cause' }),
    { errors: ['InvalidShiftEventError'], resultPath: '$.error' },
  );

  const computeShiftMetrics = ctx.invoke('compute-shift-metrics', { stateName: 'Compute shift metrics' });
  const detectAnomalies = ctx.invoke('detect-anomalies', { stateName: 'Detect anomalies' });

  // The report stays the state: storing it returns only its generation time.
  const storeShiftReport = ctx.invoke('store-shift-report', {
    stateName: 'Store shift report',
    resultPath: sfn.JsonPath.DISCARD,
  });
  storeShiftReport
    .next(ctx.invoke('format-shift-summary', { stateName: 'Format shift summary' }))
    .next(new sfn.Succeed(scope, 'Report ready'));

  const flagForReview = new sfn.Pass(scope, 'Flag for review', {
    result: sfn.Result.fromString('needs-review'),
    resultPath: '$.status',
  }).next(storeShiftReport);
  const markRoutine = new sfn.Pass(scope, 'Mark routine', {
    result: sfn.Result.fromString('routine'),
    resultPath: '$.status',
  }).next(storeShiftReport);

  const anomaliesFound = new sfn.Choice(scope, 'Anomalies found?')
    .when(sfn.Condition.isPresent('$.anomalies[0]'), flagForReview)
    .otherwise(markRoutine);

  const anyScans = new sfn.Choice(scope, 'Any scans?')
    .when(sfn.Condition.isPresent('$.workers[0]'), computeShiftMetrics.next(detectAnomalies).next(anomaliesFound))
    .otherwise(new sfn.Succeed(scope, 'No scans in shift', { comment: 'Nobody scanned: there is nothing to report.' }));

  return sfn.Chain.start(loadShiftScans).next(anyScans);
}
