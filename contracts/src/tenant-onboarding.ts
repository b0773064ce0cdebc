/**
 * Tenant onboarding's shared vocabulary: what `fleet tenants onboard` (CLI) sends, what the
 * control plane's onboarding state machine (`TenantOnboarding` in @fleet/workflows) reads and
 * records, and the tenant registry table both read.
 */

/**
 * The role in the organization's management account that the onboarding assumes to create and
 * move accounts (Organizations `CreateAccount` can only be called from the management account).
 * Trusted by the control plane's `FleetRolloutEngineRole` only; created by you, once (docs/deploying.md).
 */
export const FLEET_ACCOUNT_FACTORY_ROLE_NAME = 'FleetAccountFactoryRole';

/** One tenant to onboard: a new account, in an OU, with a home Region. */
export interface OnboardingRequest {
  /** Idempotency key: the same request again resumes or returns its result; 1-64 letters, digits, '-', '_'. */
  readonly requestId: string;
  /** The tenant id (kebab-case, as in tenants.ts). */
  readonly tenantId: string;
  /** Organizations `CreateAccount` AccountName (1-50 characters). */
  readonly accountName: string;
  /** The account's root email, unique in AWS. */
  readonly email: string;
  /** The OU the account is moved to (`ou-...`): a target OU of the baseline StackSet's automatic deployment. */
  readonly organizationalUnitId: string;
  /** The tenant's home Region: the control plane of this Region onboards it. */
  readonly homeRegion: string;
}

/**
 * A service at the fleet's current release, as the onboarding deploys it into a new account
 * (everything of a `RolloutItem` that does not depend on the account).
 */
export interface OnboardingServiceRelease {
  readonly service: string;
  readonly releaseId: string;
  /** `serviceStackName(service)`. */
  readonly stackName: string;
  /** `releaseChangeSetName(releaseId)`. */
  readonly changeSetName: string;
  /** The release template in the Region's release bucket. */
  readonly templateUrl: string;
  /** As `StackParameter` (rollout.ts): the release's parameters with the Region filled in. */
  readonly parameters: readonly { readonly ParameterKey: string; readonly ParameterValue: string }[];
  /** Alarm names in the new account that roll the stack back (their ARNs need the account id). */
  readonly rollbackAlarmNames: readonly string[];
  /** RollbackConfiguration.MonitoringTimeInMinutes: 0 for a new account (no traffic yet for an alarm to see). */
  readonly monitoringTimeInMinutes: number;
}

/** The onboarding state machine's execution input. */
export interface OnboardingInput {
  /** Names the execution; recorded on every tenant of the batch. */
  readonly batchId: string;
  /** The Region the control plane runs in: every request's homeRegion must be it. */
  readonly region: string;
  /** `aws`, `aws-cn`, `aws-us-gov` (role ARNs of the new accounts). */
  readonly partition: string;
  /** The services at their current release, in dependency levels: a level deploys after the one before it. */
  readonly levels: readonly (readonly OnboardingServiceRelease[])[];
  readonly requests: readonly OnboardingRequest[];
}

/** The steps of one tenant's onboarding, in order, as the registry item's `steps` map names them. */
export const ONBOARDING_STEPS = ['record', 'createAccount', 'moveAccount', 'baseline', 'services', 'register'] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

/** A step's state in `steps.<step>.state`. */
export const ONBOARDING_STEP_STATES = ['IN_PROGRESS', 'DONE', 'FAILED'] as const;

/** A tenant's `status` in the registry table. */
export const ONBOARDING_STATES = ['IN_PROGRESS', 'READY', 'FAILED'] as const;
export type OnboardingState = (typeof ONBOARDING_STATES)[number];

/** One tenant's result in the execution output. `REFUSED`: another request holds the tenant (nothing was changed). */
export interface OnboardingResult {
  readonly requestId: string;
  readonly tenantId: string;
  readonly status: 'READY' | 'FAILED' | 'REFUSED';
  readonly accountId?: string;
  readonly failedStep?: OnboardingStep;
  readonly error?: string;
  readonly cause?: string;
  /** True when the request had been recorded before (a resumed or repeated request). */
  readonly resumed?: boolean;
}

/**
 * The tenant registry table of the control plane: one item per tenant, keyed by tenant id,
 * written by the onboarding. The request (`requestId`, the account's name, email, OU, Region) is
 * recorded with a conditional put; `steps` maps each `ONBOARDING_STEPS` name to
 * `{ state, at, error?, cause? }`; a READY tenant has `accountId`, `services` (service -> release
 * id) and `readyAt`.
 */
export const TENANT_REGISTRY_TABLE = {
  partitionKey: 'tenantId',
  attributes: [
    'requestId', 'status', 'accountName', 'email', 'organizationalUnitId', 'homeRegion', 'accountId', 'createAccountRequestId',
    'steps', 'failedStep', 'services', 'batchId', 'requestedAt', 'readyAt', 'updatedAt',
  ],
} as const;

/** The control plane outputs of the onboarding (apart from CONTROL_PLANE_OUTPUTS: a control plane may leave onboarding out). */
export const ONBOARDING_OUTPUTS = {
  onboardingStateMachineArn: 'TenantOnboardingStateMachineArn',
  tenantRegistryTableName: 'TenantRegistryTableName',
} as const;

/**
 * Organizations' `CreateAccountStatus.FailureReason` when the daily account creation limit is
 * reached (API reference, `CreateAccountStatus`).
 */
export const ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED = 'ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED';

/**
 * The tenant registry table's one item that is not a tenant: the account-creation semaphore of
 * the onboarding. `leases` maps the tenant id of each child holding a creation slot to the epoch
 * milliseconds its lease expires (DynamoDB N); a child takes a slot with a conditional update
 * (`size(leases) < limit`) and removes its key when its creation ended. `queue` maps each
 * waiting tenant id to `{ s: since, u: until }` (epoch ms): slots go to waiters in order of
 * arrival, and an entry not renewed by `u` is dropped. The key cannot be a tenant id (tenant ids
 * are kebab-case).
 */
export const ACCOUNT_CREATION_SLOTS = { key: '#account-creation-slots', leases: 'leases', queue: 'queue' } as const;
