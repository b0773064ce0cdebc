/**
 * The accounts of a simulated AWS Organization and the roles in them: who a Task's call runs as.
 * A Task without `Credentials` runs as the state machine's role in the central account; with
 * `Credentials.RoleArn` Step Functions assumes that role first
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html),
 * which needs the role to exist and to trust the state machine's role (sts:AssumeRole, checked
 * here against the role's trusted account), and the deploy roles trust only organization members.
 */
import { StatesError } from '../../local';

export interface SimulatedRole {
  readonly accountId: string;
  readonly roleName: string;
  /** Accounts whose principals the trust policy allows to assume the role. */
  readonly trustedAccounts: readonly string[];
  /** The trust policy's aws:PrincipalOrgID condition: only callers in this organization. */
  readonly trustedOrganizationId?: string;
}

/** Who a call runs as, once Credentials are resolved. */
export interface Caller {
  readonly accountId: string;
  readonly roleArn?: string;
}

/**
 * What Step Functions reports when it cannot assume `Credentials.RoleArn`. (unverified: no AWS page
 * names the error; the failure surfaces as the Task failing, so the engine must treat it as a
 * per-tenant failure, never retry it forever.)
 */
export const ASSUME_ROLE_FAILURE = 'States.TaskFailed';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

export class SimulatedOrganization {
  private readonly members = new Set<string>();
  private readonly roles = new Map<string, SimulatedRole>();
  /**
   * Callers already resolved, by role ARN: every Task of a rollout assumes one of a few thousand
   * roles, and parsing the ARN and checking the trust policy per call was a steady share of the
   * simulation's allocations. Cleared whenever a member or a role changes.
   */
  private readonly callers = new Map<string, Caller>();

  constructor(
    public readonly organizationId: string,
    /** The account the state machine runs in (the central, control plane account). */
    public readonly centralAccountId: string,
    memberAccounts: Iterable<string>,
  ) {
    this.members.add(centralAccountId);
    for (const a of memberAccounts) this.members.add(a);
  }

  isMember(accountId: string): boolean {
    return this.members.has(accountId);
  }

  /** Every member account, in the order they joined. */
  memberIds(): string[] {
    return [...this.members];
  }

  /** A new member (an account Organizations created). */
  addMember(accountId: string): void {
    this.callers.clear();
    this.members.add(accountId);
  }

  addRole(role: SimulatedRole): void {
    this.callers.clear();
    this.roles.set(`${role.accountId}/${role.roleName}`, role);
  }

  removeRole(accountId: string, roleName: string): void {
    this.callers.clear();
    this.roles.delete(`${accountId}/${roleName}`);
  }

  /** The caller for a Task's Credentials: the assumed role's account, or the central account without any. */
  assume(roleArn: string | undefined, stateName: string): Caller {
    if (roleArn === undefined) return { accountId: this.centralAccountId };
    const known = this.callers.get(roleArn);
    if (known !== undefined) return known;
    const m = ROLE_ARN.exec(roleArn);
    const refuse = (why: string) =>
      new StatesError(ASSUME_ROLE_FAILURE, `State '${stateName}': Step Functions could not assume the role '${roleArn}' given in Credentials: ${why}`);
    if (!m) throw refuse('not a role ARN (arn:aws:iam::<12-digit account>:role/<name>)');
    const [, accountId, roleName] = m;
    const role = this.roles.get(`${accountId}/${roleName}`);
    if (!role) throw refuse(`AccessDenied: the role does not exist in account ${accountId}`);
    if (!role.trustedAccounts.includes(this.centralAccountId)) throw refuse(`AccessDenied: the role's trust policy does not allow account ${this.centralAccountId}`);
    if (role.trustedOrganizationId !== undefined && (role.trustedOrganizationId !== this.organizationId || !this.isMember(this.centralAccountId))) {
      throw refuse(`AccessDenied: the role's trust policy requires organization ${role.trustedOrganizationId}`);
    }
    if (!this.isMember(accountId)) throw refuse(`AccessDenied: account ${accountId} is not in organization ${this.organizationId}`);
    const caller: Caller = { accountId, roleArn };
    this.callers.set(roleArn, caller);
    return caller;
  }
}
