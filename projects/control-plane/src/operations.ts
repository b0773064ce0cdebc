import type { ControlPlaneStack } from './stack';

/**
 * Your additions to the control plane: alarms, dashboards, operator roles. This file is yours:
 * written once, never overwritten. For example, an alarm when failures wait in the central DLQ:
 *
 *   new cloudwatch.Alarm(stack, 'FailuresWaiting', {
 *     metric: stack.failurePath.metricMessagesWaiting(), threshold: 1, evaluationPeriods: 1,
 *   });
 *
 * and the role operators use to run `fleet dlq`: `stack.failurePath.grantRecovery(role)`.
 */
export function extendControlPlane(_stack: ControlPlaneStack): void {
  // Nothing yet.
}
