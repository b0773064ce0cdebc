import { serviceStackName } from '@fleet/contracts';
import { Aws, Tags, Token, Validations } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { childPath, optionError } from '../private/errors';
import { FLEET_TAGS } from '../private/fleet-tags';
import { checkIntegerRange } from '../private/validation';

/** Who deploys the stack instances: StackSets through Organizations, or roles we create. */
export type StackSetPermissionModel = 'SERVICE_MANAGED' | 'SELF_MANAGED';

/** Properties of a `FleetStackSet`. */
export interface FleetStackSetProps {
  /** The service (kebab-case); the stack set is `fleet-<service>` and each instance's stack too. */
  readonly serviceName: string;

  /** HTTPS URL of the service's release template (the Region's release bucket). */
  readonly templateUrl: string;

  /** Regions of the stack instances, in the order CloudFormation deploys them (`RegionOrder`). */
  readonly regions: readonly string[];

  /**
   * `SERVICE_MANAGED`: StackSets deploys through AWS Organizations to the OUs in
   * `organizationalUnitIds`, and to every account added to them later (auto-deployment).
   * `SELF_MANAGED`: no targets in the template; instances are added by `fleet rollout` for the
   * accounts of the registry, through an administration role here and a per-service execution
   * role in each account.
   *
   * @default 'SERVICE_MANAGED'
   */
  readonly permissionModel?: StackSetPermissionModel;

  /**
   * Target OUs (`ou-...` or a root `r-...`), service-managed only, at most 50 (per operation).
   * The tenant list never enters the template: accounts join by joining an OU.
   *
   * @default - no instances (self-managed, or added later)
   */
  readonly organizationalUnitIds?: readonly string[];

  /**
   * Service-managed only: keep the stacks of an account that leaves the target OUs.
   * @default false - the stack is deleted with the account's membership
   */
  readonly retainStacksOnAccountRemoval?: boolean;

  /**
   * Self-managed only: name of the execution role in each tenant account (created by the tenant
   * baseline), one per service so each may create only what its service needs.
   *
   * @default `fleet-<service>-stackset-execution`
   */
  readonly executionRoleName?: string;

  /** Percentage of accounts deployed at once per Region (MaxConcurrentPercentage, rounded down, never to zero). @default 25 */
  readonly maxConcurrentPercentage?: number;

  /** Percentage of accounts per Region that may fail before the operation stops (rounded down). @default 10 */
  readonly failureTolerancePercentage?: number;

  /** Regions one after another (the default: a bad Region stops the later ones) or all at once. @default 'SEQUENTIAL' */
  readonly regionConcurrency?: 'SEQUENTIAL' | 'PARALLEL';

  /**
   * Stack parameters, for example `FailureBusArn` (CloudFormation parameter values).
   * @default - none
   */
  readonly parameters?: Readonly<Record<string, string>>;

  /**
   * Service-managed only: deploy as the organization's management account (`SELF`) or as a
   * delegated administrator (`DELEGATED_ADMIN`, the usual case for a control plane account).
   * @default 'DELEGATED_ADMIN'
   */
  readonly callAs?: 'SELF' | 'DELEGATED_ADMIN';
}

const SERVICE = /^[a-z][a-z0-9-]*$/;
const OU = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * One StackSet per tenant service over the L1 `CfnStackSet` (cdk-stacksets is experimental and
 * has no ConcurrencyMode). The simple path and the onboarding path: a new account in a target OU
 * gets every service without a rollout.
 *
 * - `ManagedExecution` active: non-conflicting operations run together instead of queuing.
 * - `ConcurrencyMode: SOFT_FAILURE_TOLERANCE`: concurrency stays at `MaxConcurrentPercentage`
 *   whatever fails; STRICT (the default) lowers it after each failure, and with tolerance 0 runs
 *   one account at a time (API reference `StackSetOperationPreferences`).
 * - Concurrency and tolerance are explicit, never AWS's defaults (tolerance 0, one at a time).
 */
export class FleetStackSet extends Construct {
  /** The stack set. */
  public readonly stackSet: cloudformation.CfnStackSet;

  /** Self-managed only: the administration role StackSets uses to reach the execution roles. */
  public readonly administrationRole?: iam.Role;

  public constructor(scope: Construct, id: string, props: FleetStackSetProps) {
    const path = childPath(scope, id);
    const model = props.permissionModel ?? 'SERVICE_MANAGED';
    validate(path, props, model);
    super(scope, id);
    const maxConcurrent = props.maxConcurrentPercentage ?? 25;
    const tolerance = props.failureTolerancePercentage ?? 10;
    const executionRoleName = props.executionRoleName ?? `fleet-${props.serviceName}-stackset-execution`;

    if (model === 'SELF_MANAGED') {
      this.administrationRole = new iam.Role(this, 'AdministrationRole', {
        assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
        description: `StackSets administration role of ${props.serviceName}: may assume only its execution role in the tenant accounts`,
      });
      const executionRoles = `arn:${Aws.PARTITION}:iam::*:role/${executionRoleName}`;
      this.administrationRole.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'AssumeTheServiceExecutionRoleOnly',
        actions: ['sts:AssumeRole'],
        resources: [executionRoles],
      }));
      Validations.of(this.administrationRole).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${executionRoleName}]`,
        reason: 'Any tenant account: the accounts are the registry\'s, added as instances at rollout; only the service\'s own execution role name',
      });
    }

    const hasTargets = model === 'SERVICE_MANAGED' && (props.organizationalUnitIds ?? []).length > 0;
    this.stackSet = new cloudformation.CfnStackSet(this, 'Resource', {
      stackSetName: serviceStackName(props.serviceName),
      description: `Fleet service ${props.serviceName}, one stack per tenant account and Region`,
      permissionModel: model,
      templateUrl: props.templateUrl,
      capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      callAs: model === 'SERVICE_MANAGED' ? (props.callAs ?? 'DELEGATED_ADMIN') : undefined,
      autoDeployment: model === 'SERVICE_MANAGED'
        ? { enabled: true, retainStacksOnAccountRemoval: props.retainStacksOnAccountRemoval ?? false }
        : undefined,
      administrationRoleArn: this.administrationRole?.roleArn,
      executionRoleName: model === 'SELF_MANAGED' ? executionRoleName : undefined,
      operationPreferences: {
        concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
        maxConcurrentPercentage: maxConcurrent,
        failureTolerancePercentage: tolerance,
        regionConcurrencyType: props.regionConcurrency ?? 'SEQUENTIAL',
        regionOrder: [...props.regions],
      },
      parameters: props.parameters
        ? Object.entries(props.parameters).map(([parameterKey, parameterValue]) => ({ parameterKey, parameterValue }))
        : undefined,
      stackInstancesGroup: hasTargets
        ? [{ regions: [...props.regions], deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds!] } }]
        : undefined,
    });
    // A stack set's tags propagate to every stack instance and its resources: the control plane's
    // own tags (its account as the "tenant") must not reach tenant accounts. The service tag is the
    // service's; the tenant tag is set by each service stack from its own account id.
    Tags.of(this.stackSet).add(FLEET_TAGS.SERVICE, props.serviceName, { priority: 1000 });
    Tags.of(this.stackSet).remove(FLEET_TAGS.TENANT, { priority: 1000 });
    Validations.of(this.stackSet).acknowledge({
      id: 'Fleet::Fleet-Tags1',
      reason: 'Stack set tags propagate to every tenant stack; the tenant tag comes from each stack\'s own account, never from the central account',
    });
  }
}

function validate(path: string, props: FleetStackSetProps, model: string): void {
  if (typeof props.serviceName !== 'string' || !SERVICE.test(props.serviceName)) {
    throw optionError(path, 'serviceName', 'must be kebab-case (lowercase letters, digits, "-")', props.serviceName, 'Pass the service name of the manifest');
  }
  if (model !== 'SERVICE_MANAGED' && model !== 'SELF_MANAGED') {
    throw optionError(path, 'permissionModel', 'must be "SERVICE_MANAGED" or "SELF_MANAGED"', model, 'Pick one, or leave it out for SERVICE_MANAGED');
  }
  if (!Token.isUnresolved(props.templateUrl) && !/^https:\/\//.test(props.templateUrl ?? '')) {
    throw optionError(path, 'templateUrl', 'must be an https:// URL of the release template', props.templateUrl, 'Pass the template URL in the Region\'s release bucket');
  }
  const regions = props.regions ?? [];
  const badRegions = regions.filter((r) => !Token.isUnresolved(r) && !REGION.test(r));
  if (regions.length === 0 || badRegions.length > 0 || new Set(regions).size !== regions.length) {
    throw optionError(path, 'regions', 'must be a non-empty list of distinct Region names', props.regions, 'Pass the Regions in deployment order, for example ["us-east-1", "eu-west-1"]');
  }
  const ous = props.organizationalUnitIds ?? [];
  if (model === 'SELF_MANAGED' && ous.length > 0) {
    throw optionError(path, 'organizationalUnitIds', 'apply to SERVICE_MANAGED stack sets only', ous, 'Leave them out, or use permissionModel "SERVICE_MANAGED"');
  }
  if (ous.length > 50 || ous.some((ou) => !Token.isUnresolved(ou) && !OU.test(ou))) {
    throw optionError(path, 'organizationalUnitIds', 'must be at most 50 OU ids ("ou-...") or a root id ("r-...")', ous, 'Copy them from `aws organizations list-organizational-units-for-parent`');
  }
  if (model === 'SERVICE_MANAGED' && props.executionRoleName !== undefined) {
    throw optionError(path, 'executionRoleName', 'applies to SELF_MANAGED stack sets only', props.executionRoleName, 'Leave it out, or use permissionModel "SELF_MANAGED"');
  }
  if (props.executionRoleName !== undefined && !ROLE_NAME.test(props.executionRoleName)) {
    throw optionError(path, 'executionRoleName', 'must be 1-64 letters, digits or +=,.@_-', props.executionRoleName, 'Pass a valid IAM role name, or leave it out');
  }
  checkIntegerRange(path, 'maxConcurrentPercentage', props.maxConcurrentPercentage, 1, 100, 'percentage of accounts deployed at once');
  checkIntegerRange(path, 'failureTolerancePercentage', props.failureTolerancePercentage, 0, 100, 'percentage of accounts that may fail');
}
