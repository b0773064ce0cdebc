import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { WorkflowContext } from '@fleet/workflows';

/**
 * The device-registry workflow (`Device Registered`). This file is yours: regeneration never
 * overwrites it. `Device Heartbeat` events go straight to record-heartbeat, not through here.
 *
 * `Validate registration` -> `Register device` -> `Worker given?` -> [`Assign worker`] ->
 * `Summarize device` -> `Device registered`. A malformed registration ends in `Registration
 * rejected`, a serial number registered by another registration in `Serial number taken`:
 * both are the caller's to fix, so neither is reported as a failure. Every other error goes to
 * the shared failure path (`ctx.invoke` catches it).
 */
export function defineWorkflow(ctx: WorkflowContext): sfn.IChainable {
  const { scope } = ctx;

  // A rule that targets the state machine passes the whole EventBridge event; the registration is its detail.
  const validateRegistration = ctx.invoke('validate-registration', {
    stateName: 'Validate registration',
    payload: sfn.TaskInput.fromJsonPathAt('$.detail'),
  });
  validateRegistration.addCatch(
    new sfn.Fail(scope, 'Registration rejected', { errorPath: '$.error.Error', causePath: '$.error.Cause' }),
    { errors: ['InvalidRegistrationError'], resultPath: '$.error' },
  );

  // The registration stays the state: the result (replayed or not) is only logged.
  const registerDevice = ctx.invoke('register-device', {
    stateName: 'Register device',
    resultPath: sfn.JsonPath.DISCARD,
  });
  registerDevice.addCatch(
    new sfn.Fail(scope, 'Serial number taken', { errorPath: '$.error.Error', causePath: '$.error.Cause' }),
    { errors: ['DeviceAlreadyRegisteredError'], resultPath: '$.error' },
  );

  const assignWorker = ctx.invoke('assign-worker', {
    stateName: 'Assign worker',
    payload: sfn.TaskInput.fromObject({
      serialNumber: sfn.JsonPath.stringAt('$.serialNumber'),
      workerId: sfn.JsonPath.stringAt('$.workerId'),
      assignedAt: sfn.JsonPath.stringAt('$.registeredAt'),
    }),
    resultPath: '$.assignment',
  });
  // A supervisor may reassign the device at the same moment; read again and retry.
  assignWorker.addRetry({
    errors: ['AssignmentConflictError'],
    interval: Duration.seconds(1),
    maxAttempts: 3,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });

  const summarizeDevice = ctx.invoke('summarize-device', {
    stateName: 'Summarize device',
    payload: sfn.TaskInput.fromObject({ serialNumber: sfn.JsonPath.stringAt('$.serialNumber') }),
  });
  summarizeDevice.next(new sfn.Succeed(scope, 'Device registered'));

  const workerGiven = new sfn.Choice(scope, 'Worker given?')
    .when(sfn.Condition.isPresent('$.workerId'), assignWorker.next(summarizeDevice))
    .otherwise(summarizeDevice);

  return sfn.Chain.start(validateRegistration).next(registerDevice).next(workerGiven);
}
