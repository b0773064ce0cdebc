import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { WorkflowContext } from '@fleet/workflows';

/**
 * The scan-ingest workflow. This file is yours: regeneration never overwrites it.
 *
 * `Validate scan` -> `Find stored copy` -> `Already stored?` -> `Enrich scan` -> `Store scan`
 * -> `Count scan` -> `Scan ingested`. A scan already stored (found by the check, or by the
 * conditional write of `Store scan` when two resends race) ends in `Duplicate ignored`; an invalid
 * scan ends in `Scan rejected` without a failure report: it is the scanner's data, not an
 * outage. Every other error goes to the shared failure path (`ctx.invoke` catches it).
 */
export function defineWorkflow(ctx: WorkflowContext): sfn.IChainable {
  const { scope } = ctx;

  // A rule that targets the state machine passes the whole EventBridge event; the scan is its
  // detail, judged against the time the event arrived.
  const validateScan = ctx.invoke('validate-scan', {
    stateName: 'Validate scan',
    payload: sfn.TaskInput.fromObject({ detail: sfn.JsonPath.objectAt('$.detail'), uploadedAt: sfn.JsonPath.stringAt('$.time') }),
  });
  const scanRejected = new sfn.Fail(scope, 'Scan rejected', {
    errorPath: '$.error.Error',
    causePath: '$.error.Cause',
  });
  validateScan.addCatch(scanRejected, { errors: ['InvalidScanError'], resultPath: '$.error' });

  // Keep the scan as the state; the check result goes beside it.
  const findStoredCopy = ctx.invoke('deduplicate-scan', {
    stateName: 'Find stored copy',
    resultPath: '$.duplicateCheck',
  });

  const duplicateIgnored = new sfn.Succeed(scope, 'Duplicate ignored', {
    comment: 'Scanners resend scans on flaky Wi-Fi; the first upload was stored and counted.',
  });

  const enrichScan = ctx.invoke('enrich-scan', { stateName: 'Enrich scan' });

  const storeScan = ctx.invoke('store-scan', { stateName: 'Store scan' });
  storeScan.addCatch(duplicateIgnored, { errors: ['DuplicateScanError'], resultPath: '$.error' });

  const countScan = ctx.invoke('count-scan', { stateName: 'Count scan' });

  const alreadyStored = new sfn.Choice(scope, 'Already stored?')
    .when(sfn.Condition.booleanEquals('$.duplicateCheck.Payload.duplicate', true), duplicateIgnored)
    .otherwise(enrichScan.next(storeScan).next(countScan).next(new sfn.Succeed(scope, 'Scan ingested')));

  return sfn.Chain.start(validateScan).next(findStoredCopy).next(alreadyStored);
}
