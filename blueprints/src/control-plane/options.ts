import { ManifestProblem } from '../errors';
import { ProblemCollector } from '../private/checks';

/** How the central queues are encrypted (see `CentralFailurePath` in `@fleet/workflows`). */
export type ControlPlaneEncryption = 'sqs-managed' | 'kms';
export const CONTROL_PLANE_ENCRYPTION_CHOICES: readonly ControlPlaneEncryption[] = ['sqs-managed', 'kms'];

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
}

const KEYS = ['name', 'description', 'organizationId', 'failureBusName', 'encryption', 'maxReceiveCount', 'retentionDays'];
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
  return check.problems;
}
