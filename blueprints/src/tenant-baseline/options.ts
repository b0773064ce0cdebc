import { FLEET_RECOVERY_ROLE_NAME } from '@fleet/contracts';
import { ManifestProblem } from '../errors';
import { ProblemCollector } from '../private/checks';

/**
 * Options of the `TenantBaseline` blueprint: what every tenant account holds once (the recovery
 * role, the account alarms). Plain JSON, so they can be written into the project's own
 * `.projenrc.ts`.
 */
export interface TenantBaselineOptions {
  /** The project name, kebab-case; also the folder, the package and the stack name (e.g. `tenant-baseline`). */
  readonly name: string;
  /**
   * One sentence for the README and package.json.
   * @default - a generic sentence
   */
  readonly description?: string;
  /** The control-plane (central) account id, 12 digits: the only account trusted by the recovery role. */
  readonly centralAccountId: string;
  /**
   * Only this role (or user) of the central account may assume the recovery role: the operators'
   * role that runs `fleet dlq redrive`.
   * @default - any principal of the central account that its own IAM policy allows
   */
  readonly recoveryPrincipalArn?: string;
  /**
   * Name of the recovery role (`fleet dlq redrive --role-name`).
   * @default 'FleetRecoveryRole'
   */
  readonly recoveryRoleName?: string;
  /**
   * Account-level Lambda `ConcurrentExecutions` at or above which the account alarm fires (1-100000).
   * @default 800 - 80% of the default quota of 1,000
   */
  readonly concurrencyThreshold?: number;
  /**
   * The fleet's AWS Organizations id: the control plane's rollout engine role must belong to it to
   * assume `FleetDeployRole` (`aws:PrincipalOrgID`).
   * @default - the deploy role trusts the central account's engine role by its ARN only
   */
  readonly organizationId?: string;
}

const KEYS = ['name', 'description', 'centralAccountId', 'recoveryPrincipalArn', 'recoveryRoleName', 'concurrencyThreshold', 'organizationId'];
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT_ID = /^\d{12}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/[\w+=,.@/-]+$/;

/** Every problem with the options of a tenant baseline, each naming the option, the value and the fix. */
export function validateTenantBaselineOptions(options: unknown, subject: string): ManifestProblem[] {
  const check = new ProblemCollector();
  if (!check.isObject(subject, options, 'declare the tenant baseline as an object with "name" and "centralAccountId"')) return check.problems;
  check.knownKeys(subject, options, [...KEYS, 'blueprint']);
  check.text(`${subject}.description`, options.description, { required: false, fix: 'write one sentence, or leave it out' });
  const central = options.centralAccountId;
  if (central === undefined) {
    check.add({
      subject: `${subject}.centralAccountId`,
      problem: 'is required: the recovery role trusts this account only',
      fix: 'add centralAccountId: "<12 digits>", the account of the control plane (aws sts get-caller-identity --query Account there)',
    });
  } else if (typeof central !== 'string' || !ACCOUNT_ID.test(central)) {
    check.add({
      subject: `${subject}.centralAccountId`,
      problem: 'must be an AWS account id: 12 digits, as a string',
      value: central,
      fix: 'write it in quotes with its leading zeros, for example "012345678901"',
    });
  }
  const principal = options.recoveryPrincipalArn;
  if (principal !== undefined) {
    const match = typeof principal === 'string' ? PRINCIPAL_ARN.exec(principal) : null;
    if (!match) {
      check.add({
        subject: `${subject}.recoveryPrincipalArn`,
        problem: 'must be the ARN of an IAM role or user',
        value: principal,
        fix: 'use the form "arn:aws:iam::<central account>:role/<name>", or leave it out',
      });
    } else if (typeof central === 'string' && ACCOUNT_ID.test(central) && match[1] !== central) {
      check.add({
        subject: `${subject}.recoveryPrincipalArn`,
        problem: `must be in the central account ${central}`,
        value: principal,
        fix: `use a role of account ${central}, or correct centralAccountId`,
      });
    }
  }
  const role = options.recoveryRoleName;
  if (role !== undefined && (typeof role !== 'string' || !ROLE_NAME.test(role))) {
    check.add({
      subject: `${subject}.recoveryRoleName`,
      problem: 'must be an IAM role name: 1-64 letters, digits or +=,.@_-',
      value: role,
      fix: `use a name such as "${FLEET_RECOVERY_ROLE_NAME}", or leave it out`,
    });
  }
  check.optionalInteger(`${subject}.concurrencyThreshold`, options.concurrencyThreshold, 1, 100_000, 'concurrent executions');
  const org = options.organizationId;
  if (org !== undefined && (typeof org !== 'string' || !ORGANIZATION_ID.test(org))) {
    check.add({
      subject: `${subject}.organizationId`,
      problem: 'must be an AWS Organizations id: "o-" then 10 to 32 lowercase letters or digits',
      value: org,
      fix: 'copy it from `aws organizations describe-organization --query Organization.Id`, or leave it out',
    });
  }
  return check.problems;
}
