import { Aws, Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { childPath, optionError } from '../private/errors';
import { FLEET_TAGS } from '../private/fleet-tags';

/** Properties of a `FleetRecoveryRole`. */
export interface FleetRecoveryRoleProps {
  /** The control-plane (central) account, 12 digits (or a parameter token): the only account trusted to assume the role. */
  readonly centralAccountId: string;

  /**
   * Name of the role. The recovery CLI assumes `arn:aws:iam::<tenant>:role/<roleName>`.
   *
   * A role name is unique per account, so create this role once per tenant account (in the
   * account baseline that the account factory deploys), not in every service stack.
   *
   * @default 'FleetRecoveryRole'
   */
  readonly roleName?: string;

  /**
   * Only this role (or user) of the central account may assume the role, instead of any
   * principal of the central account that IAM allows to.
   *
   * @default - any principal of the central account whose own policy allows sts:AssumeRole on it
   */
  readonly centralPrincipalArn?: string;
}

/** Default name of the role the recovery CLI assumes in each tenant account. */
export const FLEET_RECOVERY_ROLE_NAME = 'FleetRecoveryRole';

/**
 * The role `fleet dlq redrive` assumes in a tenant account to deliver a failed event back
 * into that same account, and nowhere else.
 *
 * Trusted by the central account only. Every permission is on this account's resources (any
 * region: a message goes back to the region it came from), and only what redelivery needs:
 * - `events:PutEvents` on the `default` bus, so the tenant's own rules route a failed event again
 *   exactly as when it first arrived;
 * - `lambda:InvokeFunction` on the fleet's functions (tagged `fleet:service`), for a failed
 *   asynchronous invocation whose payload was not an event;
 * - `states:DescribeExecution` on executions and `states:StartExecution` on the fleet's state
 *   machines (tagged `fleet:service`), to start a failed execution again with its input.
 * Sessions last at most one hour. The CLI checks that the assumed role's account is the
 * message's tenant before it delivers anything.
 */
export class FleetRecoveryRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;

  public constructor(scope: Construct, id: string, props: FleetRecoveryRoleProps) {
    const path = childPath(scope, id);
    if (!Token.isUnresolved(props.centralAccountId) && !/^\d{12}$/.test(props.centralAccountId ?? '')) {
      throw optionError(path, 'centralAccountId', 'must be a 12-digit AWS account id', props.centralAccountId,
        'Pass the control-plane account id, for example "111122223333"');
    }
    const roleName = props.roleName ?? FLEET_RECOVERY_ROLE_NAME;
    if (!Token.isUnresolved(roleName) && !/^[\w+=,.@-]{1,64}$/.test(roleName)) {
      throw optionError(path, 'roleName', 'must be 1-64 letters, digits or +=,.@_-', roleName, 'Pass a valid IAM role name, or leave it out for "FleetRecoveryRole"');
    }
    super(scope, id);

    const trusted = props.centralPrincipalArn
      ? new iam.ArnPrincipal(props.centralPrincipalArn)
      : new iam.AccountPrincipal(props.centralAccountId);
    this.role = new iam.Role(this, 'Role', {
      roleName,
      description: 'Assumed by the fleet control plane to redeliver this account\'s failed events into this account',
      assumedBy: trusted,
      maxSessionDuration: Duration.hours(1),
    });
    if (props.centralPrincipalArn) {
      // ArnPrincipal alone would also match a same-named principal in another account.
      this.role.assumeRolePolicy?.addStatements(new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sts:AssumeRole'],
        conditions: { StringNotEquals: { 'aws:PrincipalAccount': props.centralAccountId } },
      }));
    }
    const fleetResourcesOnly = { Null: { [`aws:ResourceTag/${FLEET_TAGS.SERVICE}`]: 'false' } };
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PutEventsAgainOnThisAccountsDefaultBus',
      actions: ['events:PutEvents'],
      resources: [`arn:${Aws.PARTITION}:events:*:${Aws.ACCOUNT_ID}:event-bus/default`],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'InvokeThisAccountsFleetFunctionsAgain',
      actions: ['lambda:InvokeFunction'],
      resources: [`arn:${Aws.PARTITION}:lambda:*:${Aws.ACCOUNT_ID}:function:*`],
      conditions: fleetResourcesOnly,
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadThisAccountsFailedExecutions',
      actions: ['states:DescribeExecution'],
      resources: [`arn:${Aws.PARTITION}:states:*:${Aws.ACCOUNT_ID}:execution:*:*`],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'StartThisAccountsFleetWorkflowsAgain',
      actions: ['states:StartExecution'],
      resources: [`arn:${Aws.PARTITION}:states:*:${Aws.ACCOUNT_ID}:stateMachine:*`],
      conditions: fleetResourcesOnly,
    }));
  }
}
