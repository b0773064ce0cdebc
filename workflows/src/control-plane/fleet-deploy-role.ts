import { FLEET_CFN_EXECUTION_ROLE_NAME, FLEET_DEPLOY_ROLE_NAME, FLEET_ROLLOUT_ENGINE_ROLE_NAME } from '@fleet/contracts';
import { Aws, Duration, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { nagResourceName } from '../private/acknowledgments';
import { childPath, optionError } from '../private/errors';
import { checkOrganizationId } from '../private/validation';

/** Properties of a `FleetDeployRole`. */
export interface FleetDeployRoleProps {
  /** The control-plane (central) account, 12 digits: its rollout engine role is the only principal trusted. */
  readonly centralAccountId: string;

  /**
   * The organization of the fleet: the engine role must also be a principal of it (`aws:PrincipalOrgID`).
   * @default - the trust names the engine role of the central account only
   */
  readonly organizationId?: string;

  /**
   * Prefix of the release buckets in the central account (templates are read with the deploy role's credentials).
   * @default `fleet-releases-<centralAccountId>`
   */
  readonly releaseBucketPrefix?: string;
}

/**
 * The two roles the rollout engine deploys a tenant account with (once per account, in the tenant
 * baseline; a role name is unique per account):
 *
 * - `FleetDeployRole`, assumed by the control plane's `FleetRolloutEngineRole` only: may create,
 *   describe and execute change sets of the fleet stacks (`fleet-*`) of this account, passing
 *   exactly the execution role, and read release templates from the release buckets.
 * - `FleetCloudFormationExecutionRole`, assumed by CloudFormation only: what the service stacks
 *   create (functions, state machines, rules, tables, roles named after the `fleet-*` stacks).
 *   The deploy role cannot create resources itself, so a stolen engine session can only run
 *   CloudFormation on fleet stacks.
 */
export class FleetDeployRole extends Construct {
  public readonly deployRole: iam.Role;
  public readonly executionRole: iam.Role;

  public constructor(scope: Construct, id: string, props: FleetDeployRoleProps) {
    const path = childPath(scope, id);
    if (!Token.isUnresolved(props.centralAccountId) && !/^\d{12}$/.test(props.centralAccountId ?? '')) {
      throw optionError(path, 'centralAccountId', 'must be a 12-digit AWS account id', props.centralAccountId, 'Pass the control-plane account id, for example "111122223333"');
    }
    checkOrganizationId(path, props.organizationId, { optional: true });
    super(scope, id);
    const engineRole = `arn:${Aws.PARTITION}:iam::${props.centralAccountId}:role/${FLEET_ROLLOUT_ENGINE_ROLE_NAME}`;
    const conditions = props.organizationId ? { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } } : undefined;

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: FLEET_CFN_EXECUTION_ROLE_NAME,
      description: 'Passed to CloudFormation by FleetDeployRole: creates the resources of the fleet service stacks',
      assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
    });
    const account = (service: string, resource: string) => `arn:${Aws.PARTITION}:${service}:*:${Aws.ACCOUNT_ID}:${resource}`;
    const executionGrants: Array<{ sid: string; actions: string[]; resources: string[]; why: string }> = [
      { sid: 'FleetServiceResources', why: 'The resource types of a fleet service stack, in this account; their generated names are not known in advance',
        actions: ['lambda:*', 'states:*', 'events:*', 'dynamodb:*', 'logs:*', 'cloudwatch:*', 'scheduler:*'],
        resources: [account('lambda', '*'), account('states', '*'), account('events', '*'), account('dynamodb', '*'), account('logs', '*'), account('cloudwatch', '*'), account('scheduler', '*')] },
      { sid: 'RolesOfFleetStacksOnly', why: 'Roles CloudFormation names after the fleet-* stacks only',
        actions: ['iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:PassRole', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateRole', 'iam:UpdateAssumeRolePolicy',
          'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:GetRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/fleet-*`] },
      { sid: 'ReadReleaseAssets', why: 'Release templates and Lambda code in the central account\'s per-Region release and asset buckets',
        actions: ['s3:GetObject'],
        resources: [`arn:${Aws.PARTITION}:s3:::${props.releaseBucketPrefix ?? `fleet-releases-${props.centralAccountId}`}-*/*`, `arn:${Aws.PARTITION}:s3:::fleet-assets-*/*`] },
    ];
    for (const grant of executionGrants) {
      this.executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: grant.sid, actions: grant.actions, resources: grant.resources }));
      for (const resource of grant.resources) {
        Validations.of(this.executionRole).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceName(this, resource)}]`, reason: grant.why });
      }
      for (const action of grant.actions.filter((a) => a.endsWith('*'))) {
        Validations.of(this.executionRole).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`, reason: grant.why });
      }
    }

    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: FLEET_DEPLOY_ROLE_NAME,
      description: 'Assumed by the fleet rollout engine of the control plane to deploy the fleet stacks of this account',
      assumedBy: new iam.ArnPrincipal(engineRole).withConditions(conditions ?? {}),
      maxSessionDuration: Duration.hours(1),
    });
    const fleetStacks = account('cloudformation', 'stack/fleet-*/*');
    const changeSets = account('cloudformation', 'changeSet/fleet-*/*');
    this.deployRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ChangeSetsOfFleetStacksOnly',
      actions: ['cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteChangeSet', 'cloudformation:DescribeStacks'],
      resources: [fleetStacks, changeSets],
    }));
    // The engine deletes a fleet stack only when a failed first create left it in
    // ROLLBACK_COMPLETE (nothing else can be done with it); a change set can already remove every
    // resource of these stacks, so this grants no new reach.
    this.deployRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DeleteFleetStacksAFailedCreateLeft',
      actions: ['cloudformation:DeleteStack'],
      resources: [fleetStacks],
    }));
    this.deployRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PassTheExecutionRoleToCloudFormationOnly',
      actions: ['iam:PassRole'],
      resources: [this.executionRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    }));
    const templates = `arn:${Aws.PARTITION}:s3:::${props.releaseBucketPrefix ?? `fleet-releases-${props.centralAccountId}`}-*/releases/*`;
    this.deployRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadReleaseTemplates', actions: ['s3:GetObject'], resources: [templates] }));
    for (const [resource, reason] of [
      [fleetStacks, 'The fleet-* stacks of this account in any Region (a tenant may have extra Regions)'],
      [changeSets, 'Change sets of the fleet-* stacks, named from the release id'],
      [templates, 'Release templates in the central account\'s per-Region release buckets'],
    ]) {
      Validations.of(this.deployRole).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceName(this, resource)}]`, reason });
    }
  }
}
