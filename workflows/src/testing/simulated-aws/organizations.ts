/**
 * AWS Organizations of the simulated AWS, as the management account sees it: asynchronous
 * account creation with a concurrency limit and a daily cap, the OU tree (root and OUs), moving
 * accounts, and the automatic deployment of service-managed StackSets to OUs (the tenant
 * baseline: the new account gets its roles once the stack instance SUCCEEDED). In virtual time,
 * computed when asked (no timers), deterministic from the seed.
 *
 * API shapes and errors: Organizations API reference (`CreateAccount`, `CreateAccountStatus`,
 * `DescribeCreateAccountStatus`, `ListCreateAccountStatus`, `ListAccounts`, `MoveAccount`,
 * `ListParents`, `DescribeAccount`, `DescribeOrganization`), CloudFormation API reference
 * (`DescribeStackInstance`, `StackInstance`). The list APIs page as Organizations does (MaxResults
 * 1-20, an opaque NextToken while more remain).
 * Only the management account may call the account APIs (others get AccessDeniedException);
 * DescribeOrganization answers any member.
 */
import { sdkError } from './errors';
import { SimulatedOrganization, SimulatedRole } from './organization';
import { drawSeconds, SecondsRange } from './seeded';

/** Account creation and StackSet timings and limits; every number is a parameter. */
export interface OrganizationsBehaviour {
  /** CreateAccount until SUCCEEDED. @default 120-300 s ("a few minutes"; unverified) */
  readonly creationSeconds?: SecondsRange;
  /** Creations in progress at once before TooManyRequestsException. @default 5 (third-party sources; unverified) */
  readonly concurrentCreations?: number;
  /** Creations per UTC day; past it a creation ends FAILED with ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED. @default 50 (unverified) */
  readonly dailyCreations?: number;
  /** From a move into a target OU until the StackSet instance starts (automatic deployment). @default 30-90 s (unverified) */
  readonly autoDeploymentDelaySeconds?: SecondsRange;
  /** The stack instance's deployment. @default 60-180 s (unverified) */
  readonly stackInstanceSeconds?: SecondsRange;
  /** Items per page of ListAccounts and ListCreateAccountStatus when MaxResults is not given. @default 20 (the largest MaxResults both accept) */
  readonly pageSize?: number;
}

/** A service-managed StackSet with automatic deployment to OUs (the tenant baseline). */
export interface SimulatedStackSet {
  readonly name: string;
  readonly organizationalUnitIds: readonly string[];
  /** The roles its template creates in each account (e.g. FleetDeployRole), trusting the central account. */
  readonly roles: readonly string[];
  /** Regions of its instances. */
  readonly regions: readonly string[];
}

export interface OrganizationCallContext {
  readonly accountId: string;
  readonly nowMs: number;
  readonly requestId: string;
}

interface Creation {
  readonly id: string;
  readonly accountName: string;
  readonly email: string;
  readonly requestedAt: number;
  readonly completesAt: number;
  readonly failureReason?: string;
  readonly accountId?: string;
}

interface Instance {
  readonly startsAt: number;
  readonly doneAt: number;
  readonly ou: string;
  rolesAdded: boolean;
}

const DAY_MS = 86_400_000;

export class SimulatedOrganizations {
  readonly rootId = 'r-sim0';
  private readonly creations = new Map<string, Creation>();
  private readonly emails = new Map<string, string>();
  private readonly parents = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly instances = new Map<string, Instance>();
  private readonly behaviour: Required<OrganizationsBehaviour>;
  private nextAccount = 0;
  /** Each accepted creation's interval, for the concurrency limit and `maxInFlight`. */
  private readonly intervals: Array<[number, number]> = [];

  constructor(
    private readonly organization: SimulatedOrganization,
    readonly managementAccountId: string,
    private readonly seed: number,
    behaviour: OrganizationsBehaviour,
    private readonly stackSets: readonly SimulatedStackSet[],
    private readonly addRole: (role: SimulatedRole) => void,
  ) {
    this.behaviour = {
      creationSeconds: behaviour.creationSeconds ?? { min: 120, max: 300 },
      concurrentCreations: behaviour.concurrentCreations ?? 5,
      dailyCreations: behaviour.dailyCreations ?? 50,
      autoDeploymentDelaySeconds: behaviour.autoDeploymentDelaySeconds ?? { min: 30, max: 90 },
      stackInstanceSeconds: behaviour.stackInstanceSeconds ?? { min: 60, max: 180 },
      pageSize: behaviour.pageSize ?? 20,
    };
  }

  /** The most account creations ever in progress at one virtual instant. */
  get maxInFlight(): number {
    let max = 0;
    for (const [start] of this.intervals) max = Math.max(max, this.inFlightAt(start));
    return max;
  }

  /** Account creations requested (accepted by CreateAccount, whatever their end). */
  get creationsRequested(): number {
    return this.creations.size;
  }

  private inFlightAt(t: number): number {
    let n = 0;
    for (const [s, e] of this.intervals) if (s <= t && t < e) n++;
    return n;
  }

  private management(c: OrganizationCallContext, action: string): void {
    if (c.accountId !== this.managementAccountId) {
      throw sdkError('Organizations', 'AccessDeniedException', `You don't have permissions to access this resource. (${action} must be called from the management account ${this.managementAccountId}, not ${c.accountId})`, c.requestId);
    }
  }

  describeOrganization(c: OrganizationCallContext): unknown {
    if (!this.organization.isMember(c.accountId)) throw sdkError('Organizations', 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.', c.requestId);
    const id = this.organization.organizationId;
    return {
      Organization: {
        Id: id,
        Arn: `arn:aws:organizations::${this.managementAccountId}:organization/${id}`,
        FeatureSet: 'ALL',
        MasterAccountId: this.managementAccountId,
        MasterAccountArn: `arn:aws:organizations::${this.managementAccountId}:account/${id}/${this.managementAccountId}`,
      },
    };
  }

  createAccount(c: OrganizationCallContext, p: Record<string, any>): unknown {
    this.management(c, 'CreateAccount');
    const name = p.AccountName;
    const email = p.Email;
    if (typeof name !== 'string' || name.length < 1 || name.length > 50) {
      throw sdkError('Organizations', 'InvalidInputException', 'You provided a value that does not match the required pattern. (AccountName: 1-50 characters)', c.requestId);
    }
    if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 64) {
      throw sdkError('Organizations', 'InvalidInputException', 'You provided a value that does not match the required pattern. (Email)', c.requestId);
    }
    const seconds = drawSeconds(this.behaviour.creationSeconds, this.seed, email, 'create-account');
    const start = c.nowMs;
    const end = start + seconds * 1000;
    // Admitted only if no instant of the new creation sees the limit already reached: the calls of
    // Distributed Map children arrive out of virtual-time order, so check the whole interval.
    const points = [start, ...this.intervals.map(([s]) => s).filter((s) => s > start && s < end)];
    if (points.some((t) => this.inFlightAt(t) >= this.behaviour.concurrentCreations)) {
      throw sdkError('Organizations', 'TooManyRequestsException', 'You have sent too many requests in too short a period of time. The quota helps protect against denial-of-service attacks. Try again later.', c.requestId);
    }
    const id = `car-${(this.creations.size + 1).toString(16).padStart(32, '0')}`;
    const day = Math.floor(start / DAY_MS);
    const today = [...this.creations.values()].filter((x) => x.failureReason === undefined && Math.floor(x.requestedAt / DAY_MS) === day).length;
    let creation: Creation;
    if (today >= this.behaviour.dailyCreations) {
      creation = { id, accountName: name, email, requestedAt: start, completesAt: start + 5_000, failureReason: 'ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED' };
    } else if (this.emails.has(email)) {
      creation = { id, accountName: name, email, requestedAt: start, completesAt: start + 5_000, failureReason: 'EMAIL_ALREADY_EXISTS' };
    } else {
      const accountId = String(300000000000 + ++this.nextAccount);
      creation = { id, accountName: name, email, requestedAt: start, completesAt: end, accountId };
      this.emails.set(email, accountId);
      this.intervals.push([start, end]);
    }
    this.creations.set(id, creation);
    return { CreateAccountStatus: this.status(creation, c.nowMs) };
  }

  private status(x: Creation, nowMs: number): Record<string, unknown> {
    const done = nowMs >= x.completesAt;
    if (done && x.accountId && !this.organization.isMember(x.accountId)) {
      // A created account is a member, under the root, with the role Organizations creates in it.
      this.organization.addMember(x.accountId);
      this.parents.set(x.accountId, this.rootId);
      this.names.set(x.accountId, x.accountName);
      this.addRole({ accountId: x.accountId, roleName: 'OrganizationAccountAccessRole', trustedAccounts: [this.managementAccountId] });
    }
    return {
      Id: x.id,
      AccountName: x.accountName,
      State: !done ? 'IN_PROGRESS' : x.failureReason ? 'FAILED' : 'SUCCEEDED',
      RequestedTimestamp: new Date(x.requestedAt).toISOString(),
      ...(done ? { CompletedTimestamp: new Date(x.completesAt).toISOString() } : {}),
      ...(done && x.accountId ? { AccountId: x.accountId } : {}),
      ...(done && x.failureReason ? { FailureReason: x.failureReason } : {}),
    };
  }

  describeCreateAccountStatus(c: OrganizationCallContext, p: Record<string, any>): unknown {
    this.management(c, 'DescribeCreateAccountStatus');
    const creation = this.creations.get(String(p.CreateAccountRequestId));
    if (!creation) throw sdkError('Organizations', 'CreateAccountStatusNotFoundException', 'We can\'t find an create account request with the CreateAccountRequestId that you specified.', c.requestId);
    return { CreateAccountStatus: this.status(creation, c.nowMs) };
  }

  /**
   * `ListCreateAccountStatus`: the creation requests, oldest first, filtered by `States`
   * (IN_PROGRESS, SUCCEEDED, FAILED), a page at a time. Its entries carry the account name, never
   * the email (API reference, `CreateAccountStatus`).
   */
  listCreateAccountStatus(c: OrganizationCallContext, p: Record<string, any>): unknown {
    this.management(c, 'ListCreateAccountStatus');
    const states = p.States === undefined ? undefined : p.States as unknown;
    if (states !== undefined && (!Array.isArray(states) || states.some((s) => !['IN_PROGRESS', 'SUCCEEDED', 'FAILED'].includes(s)))) {
      throw sdkError('Organizations', 'InvalidInputException', 'You provided a value that does not match the required pattern. (States: IN_PROGRESS, SUCCEEDED or FAILED)', c.requestId);
    }
    const all = [...this.creations.values()].map((x) => this.status(x, c.nowMs)).filter((x) => states === undefined || (states as string[]).includes(String(x.State)));
    const { page, next } = this.page(c, p, all, 'ListCreateAccountStatus');
    return { CreateAccountStatuses: page, ...(next ? { NextToken: next } : {}) };
  }

  /** `ListAccounts`: every account of the organization (the created ones once their creation completed), a page at a time. */
  listAccounts(c: OrganizationCallContext, p: Record<string, any>): unknown {
    this.management(c, 'ListAccounts');
    // A creation completes at its time whether or not anyone asked for its status.
    for (const x of this.creations.values()) this.status(x, c.nowMs);
    const emailOf = new Map([...this.emails].map(([email, id]) => [id, email]));
    const all = this.organization.memberIds().map((id) => ({
      Id: id,
      Arn: `arn:aws:organizations::${this.managementAccountId}:account/${this.organization.organizationId}/${id}`,
      Email: emailOf.get(id) ?? `aws+${id}@example.com`,
      Name: this.names.get(id) ?? id,
      Status: 'ACTIVE', State: 'ACTIVE', JoinedMethod: emailOf.has(id) ? 'CREATED' : 'INVITED',
    }));
    const { page, next } = this.page(c, p, all, 'ListAccounts');
    return { Accounts: page, ...(next ? { NextToken: next } : {}) };
  }

  /** One page of `items` from `NextToken` (an opaque token naming the API and the offset). */
  private page<T>(c: OrganizationCallContext, p: Record<string, any>, items: readonly T[], api: string): { page: T[]; next?: string } {
    const size = p.MaxResults === undefined ? this.behaviour.pageSize : Number(p.MaxResults);
    if (!Number.isInteger(size) || size < 1 || size > 20) {
      throw sdkError('Organizations', 'InvalidInputException', 'You provided a value that does not match the required pattern. (MaxResults: 1-20)', c.requestId);
    }
    let from = 0;
    if (p.NextToken !== undefined) {
      const m = /^([A-Za-z]+):(\d+)$/.exec(Buffer.from(String(p.NextToken), 'base64').toString('utf8'));
      if (!m || m[1] !== api) throw sdkError('Organizations', 'InvalidInputException', 'The provided pagination token is invalid.', c.requestId);
      from = Number(m[2]);
    }
    const page = items.slice(from, from + size);
    const next = from + size < items.length ? Buffer.from(`${api}:${from + size}`, 'utf8').toString('base64') : undefined;
    return { page, next };
  }

  private account(c: OrganizationCallContext, id: unknown): string {
    const accountId = String(id);
    if (!this.parents.has(accountId)) throw sdkError('Organizations', 'AccountNotFoundException', 'We can\'t find an AWS account with the AccountId that you specified, or the account whose credentials you used to make this request isn\'t a member of an organization.', c.requestId);
    return accountId;
  }

  listParents(c: OrganizationCallContext, p: Record<string, any>): unknown {
    this.management(c, 'ListParents');
    const accountId = this.account(c, p.ChildId);
    const parent = this.parents.get(accountId)!;
    return { Parents: [{ Id: parent, Type: parent.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] };
  }

  moveAccount(c: OrganizationCallContext, p: Record<string, any>): unknown {
    this.management(c, 'MoveAccount');
    const accountId = this.account(c, p.AccountId);
    const destination = String(p.DestinationParentId);
    if (!/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/.test(destination)) {
      throw sdkError('Organizations', 'ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.', c.requestId);
    }
    const current = this.parents.get(accountId)!;
    if (current === destination) throw sdkError('Organizations', 'DuplicateAccountException', 'That account is already present in the specified destination.', c.requestId);
    if (current !== p.SourceParentId) throw sdkError('Organizations', 'SourceParentNotFoundException', 'We can\'t find a source root or OU with the ParentId that you specified.', c.requestId);
    this.parents.set(accountId, destination);
    for (const set of this.stackSets.filter((s) => s.organizationalUnitIds.includes(destination))) {
      for (const region of set.regions) {
        const key = `${set.name}/${accountId}/${region}`;
        if (this.instances.has(key)) continue;
        const startsAt = c.nowMs + 1000 * drawSeconds(this.behaviour.autoDeploymentDelaySeconds, this.seed, set.name, accountId, region, 'auto-deployment');
        const doneAt = startsAt + 1000 * drawSeconds(this.behaviour.stackInstanceSeconds, this.seed, set.name, accountId, region, 'instance');
        this.instances.set(key, { startsAt, doneAt, ou: destination, rolesAdded: false });
      }
    }
    return {};
  }

  describeAccount(c: OrganizationCallContext, p: Record<string, any>): unknown {
    this.management(c, 'DescribeAccount');
    const accountId = this.account(c, p.AccountId);
    const email = [...this.emails].find(([, id]) => id === accountId)?.[0];
    return {
      Account: {
        Id: accountId,
        Arn: `arn:aws:organizations::${this.managementAccountId}:account/${this.organization.organizationId}/${accountId}`,
        Email: email, Name: this.names.get(accountId), Status: 'ACTIVE', State: 'ACTIVE', JoinedMethod: 'CREATED',
      },
    };
  }

  /** CloudFormation `DescribeStackInstance` of a service-managed StackSet (called by its administrator). */
  describeStackInstance(c: OrganizationCallContext & { region: string }, p: Record<string, any>): unknown {
    const set = this.stackSets.find((s) => s.name === p.StackSetName);
    if (!set) throw sdkError('CloudFormation', 'StackSetNotFoundException', `StackSet ${String(p.StackSetName)} not found`, c.requestId);
    const account = String(p.StackInstanceAccount);
    const region = String(p.StackInstanceRegion);
    const instance = this.instances.get(`${set.name}/${account}/${region}`);
    if (!instance) throw sdkError('CloudFormation', 'StackInstanceNotFoundException', `Stack instance [${account}, ${region}] of StackSet ${set.name} not found`, c.requestId);
    const detailed = c.nowMs < instance.startsAt ? 'PENDING' : c.nowMs < instance.doneAt ? 'RUNNING' : 'SUCCEEDED';
    if (detailed === 'SUCCEEDED' && !instance.rolesAdded) {
      instance.rolesAdded = true;
      for (const roleName of set.roles) {
        this.addRole({ accountId: account, roleName, trustedAccounts: [this.organization.centralAccountId], trustedOrganizationId: this.organization.organizationId });
      }
    }
    return {
      StackInstance: {
        StackSetId: `${set.name}:sim`,
        Region: region,
        Account: account,
        OrganizationalUnitId: instance.ou,
        Status: detailed === 'SUCCEEDED' ? 'CURRENT' : 'OUTDATED',
        StackInstanceStatus: { DetailedStatus: detailed },
        ...(detailed === 'SUCCEEDED' ? { StackId: `arn:aws:cloudformation:${region}:${account}:stack/StackSet-${set.name}-sim/sim` } : { StatusReason: 'User Initiated' }),
      },
    };
  }
}
