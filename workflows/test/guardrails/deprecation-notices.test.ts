/* eslint-disable @typescript-eslint/no-require-imports */
import * as cdk from 'aws-cdk-lib';
import { FLEET_TAGS, addFleetChecks } from '../../src';

type Cdk = typeof cdk;

/**
 * A tagged stack with an event bus and a resource policy, as the control plane's failure bus has:
 * cdk-nag's EventBusOpenAccess rule reads the policy's deprecated `principal` property.
 */
function stackWithBusPolicy(lib: Cdk): { app: cdk.App; stack: cdk.Stack } {
  const app = new lib.App({ builtinCloudFormationValidation: false });
  const stack = new lib.Stack(app, 'Central');
  lib.Tags.of(stack).add(FLEET_TAGS.TENANT, '123456789012');
  lib.Tags.of(stack).add(FLEET_TAGS.SERVICE, 'control-plane');
  const bus = new lib.aws_events.EventBus(stack, 'FailureBus');
  bus.addToResourcePolicy(new lib.aws_iam.PolicyStatement({
    sid: 'OrganizationPutEvents',
    actions: ['events:PutEvents'],
    principals: [new lib.aws_iam.AnyPrincipal()],
    resources: [bus.eventBusArn],
    conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
  }));
  return { app, stack };
}

/** The deprecation notices printed while `run` ran (aws-cdk-lib prints them with console.warn). */
function deprecationNotices(run: () => void): string[] {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    run();
    return warn.mock.calls.map((args) => args.join(' ')).filter((text) => text.includes('is deprecated'));
  } finally {
    warn.mockRestore();
  }
}

describe('the fleet checks and aws-cdk-lib deprecation notices', () => {
  test('GIVEN a stack with an event bus policy WHEN synthesized with the fleet checks THEN no deprecation notice is printed, and JSII_DEPRECATED is as before', () => {
    const { app, stack } = stackWithBusPolicy(cdk);
    expect(addFleetChecks(stack)).toBe(true);
    const before = process.env.JSII_DEPRECATED;
    expect(deprecationNotices(() => app.synth())).toEqual([]);
    expect(process.env.JSII_DEPRECATED).toBe(before);
  });

  test('GIVEN the same stack WHEN cdk-nag AwsSolutionsChecks runs as a plain plugin THEN it prints the notice the fleet checks keep quiet', () => {
    // aws-cdk-lib prints each notice once per module instance (quiet or not): a fresh one here.
    jest.isolateModules(() => {
      const lib = require('aws-cdk-lib') as Cdk;
      const { AwsSolutionsChecks } = require('cdk-nag') as typeof import('cdk-nag');
      const { app, stack } = stackWithBusPolicy(lib);
      lib.Validations.of(app).addPlugins(new AwsSolutionsChecks(stack));
      const notices = deprecationNotices(() => {
        try {
          app.synth();
        } catch {
          // the plain pack's own findings (it is not the fleet's configuration) are not under test
        }
      });
      expect(notices).toEqual([expect.stringContaining('aws-cdk-lib.aws_events.CfnEventBusPolicy#principal is deprecated')]);
    });
  });
});
