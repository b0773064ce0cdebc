import { FLEET_RECOVERY_ROLE_NAME } from '@fleet/contracts';
import { Aws, Duration, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { nagResourceName } from '../private/acknowledgments';
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
export { FLEET_RECOVERY_ROLE_NAME };

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
      throw optionError(path, 'roleName', 'must be 1-64 letters, digits or +=,.@_-', roleName, `Pass a valid IAM role name, or leave it out for "${FLEET_RECOVERY_ROLE_NAME}"`);
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
    // Any region (a message goes back where it came from) and any fleet resource: the tenant's
    // services are not known here, and the account and the fleet tag are the boundary.
    const fleetResourcesOnly = { Null: { [`aws:ResourceTag/${FLEET_TAGS.SERVICE}`]: 'false' } };
    const grants: Array<{ sid: string; action: string; resource: string; tagged: boolean; why: string }> = [
      { sid: 'PutEventsAgainOnThisAccountsDefaultBus', action: 'events:PutEvents', resource: 'events:*:<account>:event-bus/default', tagged: false,
        why: 'The default bus of this account in any region: a failed event goes back to the region it came from' },
      { sid: 'InvokeThisAccountsFleetFunctionsAgain', action: 'lambda:InvokeFunction', resource: 'lambda:*:<account>:function:*', tagged: true,
        why: 'Functions of this account tagged fleet:service only (condition), in any region: the failed function is named by the message' },
      { sid: 'ReadThisAccountsFailedExecutions', action: 'states:DescribeExecution', resource: 'states:*:<account>:execution:*:*', tagged: false,
        why: 'Executions of this account, read to start a failed one again with its input; executions carry no tags to narrow it further' },
      { sid: 'StartThisAccountsFleetWorkflowsAgain', action: 'states:StartExecution', resource: 'states:*:<account>:stateMachine:*', tagged: true,
        why: 'State machines of this account tagged fleet:service only (condition), in any region: the failed one is named by the message' },
    ];
    for (const grant of grants) {
      const resource = `arn:${Aws.PARTITION}:${grant.resource.replace('<account>', Aws.ACCOUNT_ID)}`;
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: grant.sid,
        actions: [grant.action],
        resources: [resource],
        conditions: grant.tagged ? fleetResourcesOnly : undefined,
      }));
      Validations.of(this.role).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceName(this, resource)}]`, reason: grant.why });
    }
  }
}
