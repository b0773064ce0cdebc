/**
 * The rollout's shared vocabulary: what `fleet release` / `fleet rollout start` (CLI) write, what
 * the rollout engine (the control plane's state machine) reads and records, and what the tenant
 * baseline provides in each account. Changing a name here changes it everywhere at once.
 */

/**
 * The role the rollout engine's children assume in a tenant account to deploy a service stack
 * (created once per account by the tenant baseline; trusted only by the control plane's engine).
 */
export const FLEET_DEPLOY_ROLE_NAME = 'FleetDeployRole';

/**
 * The rollout engine's role in the control plane account (the state machine's role): the only
 * principal every tenant's deploy role trusts, so it has a fixed name.
 */
export const FLEET_ROLLOUT_ENGINE_ROLE_NAME = 'FleetRolloutEngineRole';

/** The CloudFormation execution role the deploy role passes to CloudFormation in a tenant account. */
export const FLEET_CFN_EXECUTION_ROLE_NAME = 'FleetCloudFormationExecutionRole';

/** The stack name of a service in a tenant account: one stack per service per account and Region. */
export function serviceStackName(service: string): string {
  return `fleet-${service}`;
}

/**
 * The change set the engine creates for a release: named from the release id, so a retried or
 * redriven child finds the change set it already created instead of creating a second one.
 * CloudFormation change set names: [a-zA-Z][-a-zA-Z0-9]*, at most 128 characters.
 */
export function releaseChangeSetName(releaseId: string): string {
  return `fleet-${releaseId}`;
}

/**
 * A release id: the service name and the first 16 hex digits of the SHA-256 over the release's
 * content (template, asset hashes, parameters). Content-addressed: the same content has the same id.
 */
export const RELEASE_ID_PATTERN = /^[a-z][a-z0-9-]*-[0-9a-f]{16}$/;

/** Where release artifacts live in a release bucket (one bucket per Region, organization-readable). */
export const RELEASE_KEYS = {
  /** The synthesized template of a release. */
  template: (service: string, releaseId: string) => `releases/${service}/${releaseId}/template.json`,
  /** The release's manifest (`ReleaseManifest` as JSON). */
  manifest: (service: string, releaseId: string) => `releases/${service}/${releaseId}/release.json`,
  /** A file asset (Lambda code zip), addressed by its content hash so releases share unchanged code. */
  asset: (assetHash: string) => `assets/${assetHash}.zip`,
} as const;

/** Where a rollout's inputs and results live in the control plane's rollout bucket. */
export const ROLLOUT_KEYS = {
  /** The wave list (a JSON array of `RolloutItem`) the wave's Distributed Map reads with ItemReader. */
  waveItems: (rolloutId: string, waveIndex: number) => `rollouts/${rolloutId}/waves/${String(waveIndex).padStart(3, '0')}.json`,
  /** The prefix the wave's Distributed Map writes its results to (ResultWriter). */
  waveResults: (rolloutId: string, waveIndex: number) => `rollouts/${rolloutId}/results/${String(waveIndex).padStart(3, '0')}`,
  /** The rollout plan as started (`RolloutInput` as JSON), for `fleet rollout status`. */
  plan: (rolloutId: string) => `rollouts/${rolloutId}/plan.json`,
} as const;

/** One CloudFormation parameter of a service stack, as the CreateChangeSet API takes it. */
export interface StackParameter {
  readonly ParameterKey: string;
  readonly ParameterValue: string;
}

/** A release: one immutable, content-addressed unit per service version. */
export interface ReleaseManifest {
  readonly releaseId: string;
  readonly service: string;
  /** The service's package.json version when the release was built. */
  readonly version: string;
  /** SHA-256 (hex) of the template body. */
  readonly templateHash: string;
  /** Content hashes of the file assets the template references. */
  readonly assetHashes: readonly string[];
  readonly parameters: readonly StackParameter[];
  /** ISO 8601; informational only, not part of the content address. */
  readonly createdAt: string;
}

/**
 * One (tenant, service, Region) deployment: an item of a wave list, read by the wave's
 * Distributed Map. Everything a child needs is in the item, so children never read the registry.
 */
export interface RolloutItem {
  readonly tenantId: string;
  readonly accountId: string;
  readonly region: string;
  readonly service: string;
  readonly releaseId: string;
  /** `serviceStackName(service)`. */
  readonly stackName: string;
  /** `releaseChangeSetName(releaseId)`. */
  readonly changeSetName: string;
  /** HTTPS URL of the release template in the Region's release bucket. */
  readonly templateUrl: string;
  /** arn:aws:iam::<accountId>:role/FleetDeployRole (partition from the Region). */
  readonly deployRoleArn: string;
  readonly parameters: readonly StackParameter[];
  /** CloudWatch alarm ARNs in the tenant account that roll the stack back (at most 5). */
  readonly rollbackAlarmArns: readonly string[];
  /** RollbackConfiguration.MonitoringTimeInMinutes (0-180). */
  readonly monitoringTimeInMinutes: number;
}

/** The health gate after a wave: alarm states plus a minimum-traffic rule, then a bake time. */
export interface WaveGate {
  /** Wait this long after the wave before reading health (AppConfig's "bake time"). */
  readonly bakeSeconds: number;
  /** Alarm names in the control plane account (aggregates over the wave's tenants); any in ALARM stops the rollout. */
  readonly alarmNames: readonly string[];
  /**
   * The gate passes only when the wave's tenants together saw at least this many workflow
   * executions during the bake (silent scale-to-zero tenants cannot pass a gate by saying nothing).
   * 0 disables the traffic rule.
   */
  readonly minimumExecutions: number;
}

/** One wave of a rollout: one ring (or part of one), deployed by one Distributed Map Run. */
export interface RolloutWave {
  readonly index: number;
  readonly ring: string;
  /** `ROLLOUT_KEYS.waveItems(rolloutId, index)` in the rollout bucket. */
  readonly itemsKey: string;
  readonly itemCount: number;
  /** The Map Run's ToleratedFailurePercentage (0 for the canary ring). */
  readonly toleratedFailurePercentage: number;
  /** Children deploying at once (Distributed Map MaxConcurrency, at most 10,000). */
  readonly maxConcurrency: number;
  readonly gate: WaveGate;
}

/** The rollout engine's execution input, written by `fleet rollout start`. */
export interface RolloutInput {
  readonly rolloutId: string;
  /** The control plane's rollout bucket (wave lists, results). */
  readonly bucket: string;
  readonly waves: readonly RolloutWave[];
}

/**
 * The release status table: one item per (tenant, service, Region), written by the engine's
 * children. `desiredRelease` is set before a deployment starts, `deployedRelease` only after the
 * stack reached a complete state with it, so a restarted rollout skips what is already at the release.
 */
export const RELEASE_STATUS_TABLE = {
  partitionKey: 'tenantId',
  /** `<service>#<region>`. */
  sortKey: 'serviceRegion',
  attributes: ['desiredRelease', 'deployedRelease', 'status', 'reason', 'rolloutId', 'updatedAt'],
} as const;

/** `RELEASE_STATUS_TABLE.sortKey` value of a deployment. */
export function serviceRegionKey(service: string, region: string): string {
  return `${service}#${region}`;
}

/** The states a deployment can be in, as the status table records them. */
export const DEPLOYMENT_STATES = ['PENDING', 'IN_PROGRESS', 'DEPLOYED', 'UNCHANGED', 'FAILED', 'ROLLED_BACK', 'SKIPPED'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/**
 * Pause, resume and abort are operations on one control item per rollout in the release status
 * table (`tenantId` = `ROLLOUT_CONTROL_PARTITION`, `serviceRegion` = the rollout id, attribute
 * `control`): the engine reads it before each wave and each child before it deploys, so a pause
 * takes effect without stopping executions, and abort ends the rollout cleanly.
 */
export const ROLLOUT_CONTROL_PARTITION = '#rollout';
export const ROLLOUT_CONTROLS = ['RUNNING', 'PAUSED', 'ABORTED'] as const;
export type RolloutControl = (typeof ROLLOUT_CONTROLS)[number];

/** The CloudFormation outputs of the control plane stack the CLI reads to find the rollout engine. */
export const CONTROL_PLANE_OUTPUTS = {
  rolloutStateMachineArn: 'RolloutStateMachineArn',
  rolloutBucketName: 'RolloutBucketName',
  releaseStatusTableName: 'ReleaseStatusTableName',
  /** Release buckets are per Region: `<prefix>-<region>`. */
  releaseBucketPrefix: 'ReleaseBucketPrefix',
} as const;
