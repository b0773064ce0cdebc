import { CfnOutput } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FleetDeployRole } from './control-plane/fleet-deploy-role';
import { FleetRecoveryRole } from './control-plane/fleet-recovery-role';
import { ServiceStack, ServiceStackProps } from './service-stack';
import { TenantAlarms } from './tenant-alarms';

/** Properties of a `TenantBaselineStack`. */
export interface TenantBaselineStackProps extends Omit<ServiceStackProps, 'serviceName'> {
  /**
   * Name of the baseline in tags and alarm names, kebab-case.
   * @default 'tenant-baseline'
   */
  readonly serviceName?: string;

  /** The control-plane (central) account, 12 digits: the only account trusted by the recovery role. */
  readonly centralAccountId: string;

  /**
   * Only this role (or user) of the central account may assume the recovery role, for example
   * the operators' role that runs `fleet dlq redrive`.
   *
   * @default - any principal of the central account that its own IAM policy allows
   */
  readonly recoveryPrincipalArn?: string;

  /**
   * Name of the recovery role; `fleet dlq redrive --role-name` must match it.
   * @default 'FleetRecoveryRole'
   */
  readonly recoveryRoleName?: string;

  /**
   * The fleet's organization: the rollout engine role must belong to it to assume the deploy role.
   * @default - the deploy role trusts the central account's engine role by name only
   */
  readonly organizationId?: string;

  /**
   * Account-level `ConcurrentExecutions` at or above which the account alarm fires.
   * @default 800 - 80% of Lambda's default quota of 1,000
   */
  readonly concurrencyThreshold?: number;
}

/**
 * What every tenant account holds once, whatever services it runs: deployed by its own
 * StackSet into every tenant account (before the services), like a service stack.
 *
 * - `FleetRecoveryRole`: the role `fleet dlq redrive` assumes to deliver a failed event back
 *   into this account, and nowhere else. A role name is unique per account, so it cannot live
 *   in the service stacks.
 * - `FleetDeployRole` and `FleetCloudFormationExecutionRole` (`FleetDeployRole` construct): the
 *   rollout engine of the control plane deploys the fleet stacks of this account through them.
 * - The account alarms (`TenantAlarms` with `account: true`): `AsyncEventsDropped` over every
 *   function of the account (one Metrics Insights query alarm) and the account-level
 *   `ConcurrentExecutions` (one standard alarm). Two alarms per account for any number of
 *   services, instead of one or more per function; their state changes go to the central
 *   failure bus.
 *
 * A `ServiceStack` underneath: the same `FailureBusArn` parameter, tags, synthesizer (no
 * bootstrap) and guardrails as every service.
 */
export class TenantBaselineStack extends ServiceStack {
  /** The role `fleet dlq redrive` assumes in this account. */
  public readonly recoveryRole: FleetRecoveryRole;

  /** `FleetDeployRole` (assumed by the rollout engine) and the CloudFormation execution role it passes. */
  public readonly deployRoles: FleetDeployRole;

  /** The two account alarms and the rule forwarding their state changes. */
  public readonly alarms: TenantAlarms;

  public constructor(scope: Construct, id: string, props: TenantBaselineStackProps) {
    super(scope, id, {
      description: `Fleet tenant baseline (blueprint ${props.blueprintVersion}): recovery role and account alarms, once per tenant account`,
      ...props,
      serviceName: props.serviceName ?? 'tenant-baseline',
    });
    this.recoveryRole = new FleetRecoveryRole(this, 'RecoveryRole', {
      centralAccountId: props.centralAccountId,
      centralPrincipalArn: props.recoveryPrincipalArn,
      roleName: props.recoveryRoleName,
    });
    this.deployRoles = new FleetDeployRole(this, 'DeployRoles', { centralAccountId: props.centralAccountId, organizationId: props.organizationId });
    this.alarms = new TenantAlarms(this, 'AccountAlarms', { account: true, concurrencyThreshold: props.concurrencyThreshold });
    new CfnOutput(this, 'RecoveryRoleArn', {
      value: this.recoveryRole.role.roleArn,
      description: 'The role fleet dlq redrive assumes in this account.',
    });
    new CfnOutput(this, 'DeployRoleArn', {
      value: this.deployRoles.deployRole.roleArn,
      description: 'The role the rollout engine assumes to deploy the fleet stacks of this account.',
    });
  }
}
