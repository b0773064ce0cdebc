import { App, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addFleetChecks, FleetStackSet, FleetStackSetProps } from '../../src';

const URL = 'https://fleet-releases-111122223333-eu-west-1.s3.eu-west-1.amazonaws.com/releases/orders/orders-0123456789abcdef/template.json';

function synth(props: Partial<FleetStackSetProps> = {}): Template {
  const stack = new Stack(new App(), 'Central');
  new FleetStackSet(stack, 'Orders', { serviceName: 'orders', templateUrl: URL, regions: ['eu-west-1', 'us-east-1'], ...props });
  Tags.of(stack).add('fleet:tenant', 'central');
  Tags.of(stack).add('fleet:service', 'control-plane');
  addFleetChecks(stack);
  return Template.fromStack(stack);
}

describe('FleetStackSet', () => {
  test('GIVEN OU targets WHEN service-managed THEN auto-deployment to the OUs, managed execution, SOFT_FAILURE_TOLERANCE with explicit concurrency and tolerance, Region order', () => {
    const template = synth({ organizationalUnitIds: ['ou-ab12-abcdefgh'] });
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'fleet-orders',
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      ManagedExecution: { Active: true },
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      OperationPreferences: {
        ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',
        MaxConcurrentPercentage: 25,
        FailureTolerancePercentage: 10,
        RegionConcurrencyType: 'SEQUENTIAL',
        RegionOrder: ['eu-west-1', 'us-east-1'],
      },
      StackInstancesGroup: [{ Regions: ['eu-west-1', 'us-east-1'], DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-abcdefgh'] } }],
    });
  });

  test('GIVEN self-managed WHEN synthesized THEN no tenant in the template, a per-service execution role name, and an administration role that may assume only it', () => {
    const template = synth({ permissionModel: 'SELF_MANAGED', maxConcurrentPercentage: 33, failureTolerancePercentage: 0 });
    const [stackSet] = Object.values<any>(template.findResources('AWS::CloudFormation::StackSet'));
    expect(stackSet.Properties).toEqual(expect.objectContaining({
      PermissionModel: 'SELF_MANAGED',
      ExecutionRoleName: 'fleet-orders-stackset-execution',
      OperationPreferences: expect.objectContaining({ ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE', MaxConcurrentPercentage: 33, FailureTolerancePercentage: 0 }),
    }));
    expect(stackSet.Properties.StackInstancesGroup).toBeUndefined();
    expect(JSON.stringify({ ...stackSet.Properties, TemplateURL: undefined })).not.toMatch(/\d{12}/);
    // Its tags reach every tenant stack: the service's, never the central account as "tenant".
    expect(stackSet.Properties.Tags).toEqual([{ Key: 'fleet:service', Value: 'orders' }]);
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([expect.objectContaining({
      Action: 'sts:AssumeRole',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/fleet-orders-stackset-execution']] },
    })]);
  });

  test.each([
    [{ permissionModel: 'SELF_MANAGED' as const, organizationalUnitIds: ['ou-ab12-abcdefgh'] },
      'Central/Orders: organizationalUnitIds apply to SERVICE_MANAGED stack sets only, got ["ou-ab12-abcdefgh"]. Leave them out, or use permissionModel "SERVICE_MANAGED".'],
    [{ regions: [] }, 'Central/Orders: regions must be a non-empty list of distinct Region names, got []. Pass the Regions in deployment order, for example ["us-east-1", "eu-west-1"].'],
    [{ maxConcurrentPercentage: 0 }, 'Central/Orders: maxConcurrentPercentage must be an integer between 1 and 100, got 0. Pass a value from 1 to 100 (percentage of accounts deployed at once).'],
    [{ executionRoleName: 'x' }, 'Central/Orders: executionRoleName applies to SELF_MANAGED stack sets only, got "x". Leave it out, or use permissionModel "SELF_MANAGED".'],
  ])('GIVEN bad props %j WHEN constructed THEN the error names the prop, the value and the fix', (props, message) => {
    expect(() => synth(props as Partial<FleetStackSetProps>)).toThrow(message);
  });
});
