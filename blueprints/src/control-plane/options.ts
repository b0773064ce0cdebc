import { ManifestProblem } from '../errors';
import { ProblemCollector } from '../private/checks';

/** How the central queues are encrypted (see `CentralFailurePath` in `@fleet/workflows`). */
export type ControlPlaneEncryption = 'sqs-managed' | 'kms';
export const CONTROL_PLANE_ENCRYPTION_CHOICES: readonly ControlPlaneEncryption[] = ['sqs-managed', 'kms'];

/** Who deploys a StackSet's instances (see `FleetStackSet` in `@fleet/workflows`). */
export type StackSetPermissionModel = 'SERVICE_MANAGED' | 'SELF_MANAGED';
export const STACK_SET_PERMISSION_MODELS: readonly StackSetPermissionModel[] = ['SERVICE_MANAGED', 'SELF_MANAGED'];

/** The StackSets of the control plane: one per tenant service of the manifest. */
export interface ControlPlaneStackSetOptions {
  /**
   * The tenant services (manifest names), in deployment order: usually `tenant-baseline` first.
   * Each gets a StackSet `fleet-<service>` and a `<Service>TemplateUrl` stack parameter (the
   * release template `fleet release` prints).
   */
  readonly services: readonly string[];
  /** Regions of the stack instances, in deployment order (RegionOrder). */
  readonly regions: readonly string[];
  /**
   * `SERVICE_MANAGED` (Organizations; OU targets; accounts added to the OUs later get the service)
   * or `SELF_MANAGED` (no targets; an execution role per service in each account).
   * @default 'SERVICE_MANAGED'
   */
  readonly permissionModel?: StackSetPermissionModel;
  /**
   * Target OUs (`ou-...`, or the root `r-...`), service-managed only, at most 50.
   * @default - no instances in the template (fleet rollout adds them)
   */
  readonly organizationalUnitIds?: readonly string[];
  /** Percentage of accounts deployed at once per Region (1-100). @default 25 */
  readonly maxConcurrentPercentage?: number;
  /** Percentage of accounts per Region that may fail before an operation stops (0-100). @default 10 */
  readonly failureTolerancePercentage?: number;
  /** Regions one after another or all at once. @default 'SEQUENTIAL' */
  readonly regionConcurrency?: 'SEQUENTIAL' | 'PARALLEL';
}

/** Tunables of the rollout engine (see `RolloutEngine` in `@fleet/workflows`). */
export interface ControlPlaneRolloutOptions {
  /** Base of the jittered change set and stack polls, seconds (1-3600). @default 10 */
  readonly pollSeconds?: number;
  /** Polls of one operation before the deployment counts as failed (1-5000). @default 360 */
  readonly maxPolls?: number;
  /** Attempts of a throttled call (0-20). @default 8 */
  readonly throttleAttempts?: number;
  /** Longest back-off of a throttled call, seconds (1-3600). @default 60 */
  readonly maxBackoffSeconds?: number;
  /** Seconds between checks of a paused rollout (1-86400). @default 60 */
  readonly pausePollSeconds?: number;
  /**
   * The shortest stack update of the fleet's services, seconds (1-3600): the first wait after
   * ExecuteChangeSet, before the jittered polls. Polls sooner than this never find an update
   * complete, and each costs two billed state transitions and a DescribeStacks call per deployment.
   * @default - none (polls start at once)
   */
  readonly minimumStackUpdateSeconds?: number;
  /**
   * The shortest stack update per service (manifest service name -> seconds, 1-3600), overriding
   * `minimumStackUpdateSeconds` for those services: a service whose updates take four minutes
   * need not be polled from the first minute.
   * @default - `minimumStackUpdateSeconds` for every service
   */
  readonly minimumStackUpdateSecondsByService?: Readonly<Record<string, number>>;
}

/** Tunables of the tenant onboarding (see `TenantOnboarding` in `@fleet/workflows`). */
export interface ControlPlaneOnboardingOptions {
  /** Tenants onboarded at once (1-1000). @default 15 */
  readonly maxConcurrentOnboardings?: number;
  /** Base of the jittered status polls, seconds (1-3600). @default 15 */
  readonly pollSeconds?: number;
  /** Polls of one account creation or baseline instance before the step fails (1-2000). @default 240 */
  readonly maxPolls?: number;
  /** Account creations at once (1-100): set it to the organization's limit. @default 5 (unverified) */
  readonly maxConcurrentAccountCreations?: number;
  /**
   * The service-managed StackSet that deploys the tenant baseline to the tenant OUs.
   * @default 'fleet-tenant-baseline'
   */
  readonly baselineStackSetName?: string;
}

/**
 * Options of the `ControlPlane` blueprint: the central account's CDK app. Plain JSON, so they
 * can be written into the project's own `.projenrc.ts`.
 *
 * The rollout engine joins later as one more option (`rollout: { waves, healthGates, ... }`)
 * read by `src/stack.ts`; see the project README.
 */
export interface ControlPlaneOptions {
  /** The project name, kebab-case; also the folder, the package and the stack name (e.g. `control-plane`). */
  readonly name: string;
  /**
   * One sentence for the README and package.json.
   * @default - a generic sentence
   */
  readonly description?: string;
  /** The AWS Organizations id of the fleet (`o-` and 10 to 32 lowercase letters or digits): only its accounts may report failures. */
  readonly organizationId: string;
  /**
   * Name of the failure bus; tenant stacks get its ARN as their `FailureBusArn` parameter.
   * @default 'fleet-failures'
   */
  readonly failureBusName?: string;
  /**
   * Encryption of the central queues: `sqs-managed` (SSE-SQS, no key to pay for or misconfigure)
   * or `kms` (a customer-managed key, $1 per month in the central account only).
   * @default 'sqs-managed'
   */
  readonly encryption?: ControlPlaneEncryption;
  /**
   * Opt-in: receives of a central DLQ message before SQS moves it to a poison queue (1-1000).
   * Leave it out: every `fleet dlq` scan receives every message of the queue, so with a limit
   * reading one tenant's messages moves the other tenants' out (docs/failure-path.md).
   * @default - no receive limit
   */
  readonly maxReceiveCount?: number;
  /**
   * Days failed events are kept (1-14).
   * @default 14
   */
  readonly retentionDays?: number;
  /**
   * One StackSet per tenant service (the simple path, and how new accounts get every service).
   * @default - no StackSets: services reach tenants through the rollout engine only
   */
  readonly stackSets?: ControlPlaneStackSetOptions;
  /**
   * Tunables of the rollout engine (always part of the control plane).
   * @default - the engine's defaults
   */
  readonly rollout?: ControlPlaneRolloutOptions;
  /**
   * Tenant onboarding (`fleet tenants onboard`): a new account per tenant, in its OU, with the
   * baseline and every service at its current release, recorded in the tenant registry table.
   * `false` leaves it out.
   * @default - on, with the onboarding's defaults (the rollout engine is always part of the control plane)
   */
  readonly onboarding?: false | ControlPlaneOnboardingOptions;
}

const KEYS = ['name', 'description', 'organizationId', 'failureBusName', 'encryption', 'maxReceiveCount', 'retentionDays', 'stackSets', 'rollout', 'onboarding'];
const STACK_SET_KEYS = ['services', 'regions', 'permissionModel', 'organizationalUnitIds', 'maxConcurrentPercentage', 'failureTolerancePercentage', 'regionConcurrency'];
const ROLLOUT_KEYS = ['pollSeconds', 'maxPolls', 'throttleAttempts', 'maxBackoffSeconds', 'pausePollSeconds', 'minimumStackUpdateSeconds', 'minimumStackUpdateSecondsByService'];
const ONBOARDING_KEYS = ['maxConcurrentOnboardings', 'pollSeconds', 'maxPolls', 'maxConcurrentAccountCreations', 'baselineStackSetName'];
const STACK_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const OU = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;

/** Every problem with the options of a control plane, each naming the option, the value and the fix. */
export function validateControlPlaneOptions(options: unknown, subject: string): ManifestProblem[] {
  const check = new ProblemCollector();
  if (!check.isObject(subject, options, 'declare the control plane as an object with "name" and "organizationId"')) return check.problems;
  check.knownKeys(subject, options, [...KEYS, 'blueprint']);
  check.text(`${subject}.description`, options.description, { required: false, fix: 'write one sentence, or leave it out' });
  const org = options.organizationId;
  if (org === undefined) {
    check.add({
      subject: `${subject}.organizationId`,
      problem: 'is required: only the accounts of this organization may put events on the failure bus',
      fix: 'add organizationId: "o-..." (aws organizations describe-organization --query Organization.Id)',
    });
  } else if (typeof org !== 'string' || !ORGANIZATION_ID.test(org)) {
    check.add({
      subject: `${subject}.organizationId`,
      problem: 'must be an AWS Organizations id: "o-" then 10 to 32 lowercase letters or digits',
      value: org,
      fix: 'copy it from `aws organizations describe-organization --query Organization.Id`',
    });
  }
  const bus = options.failureBusName;
  if (bus !== undefined && (typeof bus !== 'string' || !BUS_NAME.test(bus) || bus === 'default')) {
    check.add({
      subject: `${subject}.failureBusName`,
      problem: 'must be 1-256 letters, digits, ".", "-" or "_", and not "default"',
      value: bus,
      fix: 'use a name such as "fleet-failures", or leave it out',
    });
  }
  check.oneOf(`${subject}.encryption`, options.encryption, CONTROL_PLANE_ENCRYPTION_CHOICES);
  check.optionalInteger(`${subject}.maxReceiveCount`, options.maxReceiveCount, 1, 1000, 'receives');
  check.optionalInteger(`${subject}.retentionDays`, options.retentionDays, 1, 14, 'days');
  if (options.stackSets !== undefined) validateStackSets(check, `${subject}.stackSets`, options.stackSets);
  if (options.rollout !== undefined && check.isObject(`${subject}.rollout`, options.rollout, 'declare the rollout tunables as an object, or leave it out')) {
    const rollout = options.rollout;
    check.knownKeys(`${subject}.rollout`, rollout, ROLLOUT_KEYS);
    check.optionalInteger(`${subject}.rollout.pollSeconds`, rollout.pollSeconds, 1, 3600, 'seconds');
    check.optionalInteger(`${subject}.rollout.maxPolls`, rollout.maxPolls, 1, 5000, 'polls');
    check.optionalInteger(`${subject}.rollout.throttleAttempts`, rollout.throttleAttempts, 0, 20, 'attempts');
    check.optionalInteger(`${subject}.rollout.maxBackoffSeconds`, rollout.maxBackoffSeconds, 1, 3600, 'seconds');
    check.optionalInteger(`${subject}.rollout.pausePollSeconds`, rollout.pausePollSeconds, 1, 86400, 'seconds');
    check.optionalInteger(`${subject}.rollout.minimumStackUpdateSeconds`, rollout.minimumStackUpdateSeconds, 1, 3600, 'seconds');
    const byService = rollout.minimumStackUpdateSecondsByService;
    if (byService !== undefined && check.isObject(`${subject}.rollout.minimumStackUpdateSecondsByService`, byService,
      'declare it as an object of service name to seconds, for example { "orders": 90 }, or leave it out')) {
      for (const [service, seconds] of Object.entries(byService)) {
        const entry = `${subject}.rollout.minimumStackUpdateSecondsByService[${JSON.stringify(service)}]`;
        check.kebabName(`${entry} (the key)`, service, { min: 1, max: 58 });
        // An entry must give seconds: undefined would otherwise pass as "leave it out".
        check.optionalInteger(entry, seconds === undefined ? null : seconds, 1, 3600, 'seconds');
      }
    }
  }
  const onboarding = options.onboarding;
  if (onboarding !== undefined && onboarding !== false
    && check.isObject(`${subject}.onboarding`, onboarding, 'declare the onboarding tunables as an object, false to leave onboarding out, or leave it out')) {
    check.knownKeys(`${subject}.onboarding`, onboarding, ONBOARDING_KEYS);
    check.optionalInteger(`${subject}.onboarding.maxConcurrentOnboardings`, onboarding.maxConcurrentOnboardings, 1, 1000, 'tenants');
    check.optionalInteger(`${subject}.onboarding.pollSeconds`, onboarding.pollSeconds, 1, 3600, 'seconds');
    check.optionalInteger(`${subject}.onboarding.maxPolls`, onboarding.maxPolls, 1, 2000, 'polls');
    check.optionalInteger(`${subject}.onboarding.maxConcurrentAccountCreations`, onboarding.maxConcurrentAccountCreations, 1, 100, 'account creations');
    const name = onboarding.baselineStackSetName;
    if (name !== undefined && (typeof name !== 'string' || !STACK_SET_NAME.test(name))) {
      check.add({ subject: `${subject}.onboarding.baselineStackSetName`, problem: 'must be a StackSet name: a letter, then up to 127 letters, digits or hyphens', value: name,
        fix: 'use the name of the StackSet that deploys tenant-baseline, for example "fleet-tenant-baseline", or leave it out' });
    }
  }
  return check.problems;
}

function validateStackSets(check: ProblemCollector, subject: string, value: unknown): void {
  if (!check.isObject(subject, value, 'declare the StackSets as an object with "services" and "regions", or leave it out')) return;
  check.knownKeys(subject, value, STACK_SET_KEYS);
  const services = value.services;
  if (!Array.isArray(services) || services.length === 0) {
    check.add({ subject: `${subject}.services`, problem: 'must be a non-empty list of tenant service names', value: services,
      fix: 'list the manifest names of the services deployed into tenant accounts, for example ["tenant-baseline", "scan-ingest"]' });
  } else {
    services.forEach((service, i) => check.kebabName(`${subject}.services[${i}]`, service, { min: 1, max: 58 }));
    const duplicates = services.filter((service, i) => services.indexOf(service) !== i);
    if (duplicates.length > 0) {
      check.add({ subject: `${subject}.services`, problem: 'lists a service more than once', value: [...new Set(duplicates)], fix: 'list each service once' });
    }
  }
  const regions = value.regions;
  if (!Array.isArray(regions) || regions.length === 0 || regions.some((r) => typeof r !== 'string' || !REGION.test(r)) || new Set(regions).size !== regions.length) {
    check.add({ subject: `${subject}.regions`, problem: 'must be a non-empty list of distinct AWS Region names', value: regions,
      fix: 'list the Regions in deployment order, for example ["eu-west-1", "us-east-1"]' });
  }
  check.oneOf(`${subject}.permissionModel`, value.permissionModel, STACK_SET_PERMISSION_MODELS);
  check.oneOf(`${subject}.regionConcurrency`, value.regionConcurrency, ['SEQUENTIAL', 'PARALLEL']);
  const ous = value.organizationalUnitIds;
  if (ous !== undefined) {
    if (!Array.isArray(ous) || ous.length > 50 || ous.some((ou) => typeof ou !== 'string' || !OU.test(ou))) {
      check.add({ subject: `${subject}.organizationalUnitIds`, problem: 'must be a list of at most 50 OU ids ("ou-...") or the root id ("r-...")', value: ous,
        fix: 'copy them from `aws organizations list-organizational-units-for-parent`' });
    } else if (value.permissionModel === 'SELF_MANAGED' && ous.length > 0) {
      check.add({ subject: `${subject}.organizationalUnitIds`, problem: 'apply to SERVICE_MANAGED StackSets only', value: ous,
        fix: 'leave them out, or set permissionModel to "SERVICE_MANAGED"' });
    }
  }
  check.optionalInteger(`${subject}.maxConcurrentPercentage`, value.maxConcurrentPercentage, 1, 100, 'percent');
  check.optionalInteger(`${subject}.failureTolerancePercentage`, value.failureTolerancePercentage, 0, 100, 'percent');
}
