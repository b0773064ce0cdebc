import { KEBAB_CASE, OnboardingRequest } from '@fleet/contracts';
import { AWS_REGIONS } from '@fleet/rollout';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { CliError } from '../errors';

/** `fleet tenants onboard` flags: one request from flags, or many from `--file`. */
export interface OnboardFlags {
  readonly tenant?: string;
  readonly accountName?: string;
  readonly email?: string;
  readonly ou?: string;
  readonly region?: string;
  readonly requestId?: string;
  readonly file?: string;
}

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
// Organizations CreateAccount: Email 6-64 characters, AccountName 1-50 of U+0020-U+007E
// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html).
const ACCOUNT_NAME = /^[\u0020-\u007e]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const OU = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const FIELDS = ['requestId', 'tenantId', 'accountName', 'email', 'organizationalUnitId', 'homeRegion'] as const;

/** The request id of a tenant given by flags: the same command again is the same request (it resumes). */
export function defaultRequestId(tenantId: string): string {
  return `onboard-${tenantId}`;
}

/**
 * The requests the flags or the file describe, every problem of every request found before any
 * AWS call and reported at once ("subject: problem, got value. Fix: ...", one per line).
 */
export function onboardingRequests(flags: OnboardFlags, cwd: string): OnboardingRequest[] {
  const problems: string[] = [];
  const problem = (subject: string, what: string, value: unknown, fix: string) => problems.push(`${subject}: ${what}, got ${JSON.stringify(value)}. Fix: ${fix}.`);
  const requestFlags = (['tenant', 'accountName', 'email', 'ou', 'region', 'requestId'] as const).filter((f) => flags[f] !== undefined);
  let raw: Array<Record<string, unknown>>;
  const labels: Array<(field: string) => string> = [];
  if (flags.file !== undefined) {
    if (requestFlags.length > 0) {
      throw new CliError({ subject: '--file', problem: `cannot be combined with ${requestFlags.map(flagName).join(', ')}`, value: flags.file, fix: 'put every request in the file, or leave --file out and describe one tenant with flags' });
    }
    raw = readRequestsFile(flags.file, cwd);
    raw.forEach((_, i) => labels.push((field) => `${flags.file}[${i}].${field}`));
  } else {
    for (const [flag, value] of [['tenant', flags.tenant], ['accountName', flags.accountName], ['email', flags.email], ['ou', flags.ou], ['region', flags.region]] as const) {
      if (value === undefined) problems.push(`${flagName(flag)}: is required. Fix: pass ${flagName(flag)} <${flag === 'ou' ? 'ou-...' : flag === 'region' ? 'region' : 'value'}>, or give every request in --file <requests.json>.`);
    }
    raw = [{
      requestId: flags.requestId ?? (flags.tenant !== undefined && KEBAB_CASE.test(flags.tenant) ? defaultRequestId(flags.tenant) : undefined),
      tenantId: flags.tenant, accountName: flags.accountName, email: flags.email, organizationalUnitId: flags.ou, homeRegion: flags.region,
    }];
    const byField: Record<string, string> = { requestId: '--request-id', tenantId: '--tenant', accountName: '--account-name', email: '--email', organizationalUnitId: '--ou', homeRegion: '--region' };
    labels.push((field) => byField[field]);
  }
  const fromFlags = flags.file === undefined;
  raw.forEach((r, i) => {
    const at = labels[i];
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      problem(`${flags.file}[${i}]`, 'must be an object with requestId, tenantId, accountName, email, organizationalUnitId and homeRegion', r, 'write each request as such an object');
      return;
    }
    if (!fromFlags) {
      for (const key of Object.keys(r).filter((k) => !(FIELDS as readonly string[]).includes(k))) {
        problem(at(key), 'is not a field of a request', r[key], `use only ${FIELDS.join(', ')}`);
      }
      for (const key of FIELDS.filter((k) => r[k] === undefined)) problems.push(`${at(key)}: is required. Fix: add it to the request.`);
    }
    const check = (field: typeof FIELDS[number], ok: (v: string) => boolean, what: string, fix: string) => {
      const v = r[field];
      if (v === undefined) return;
      if (typeof v !== 'string' || !ok(v)) problem(at(field), what, v, fix);
    };
    check('requestId', (v) => REQUEST_ID.test(v), 'must be 1-64 letters, digits, hyphens or underscores', 'use an id such as "onboard-acme-1"; sending the same id again resumes that request');
    check('tenantId', (v) => KEBAB_CASE.test(v) && v.length <= 64, 'must be kebab-case, at most 64 characters', 'use a tenant id such as "acme-logistics"');
    // CreateAccount takes printable ASCII only (AccountName pattern [\u0020-\u007E]+): anything else
    // (a bidirectional override, a non-breaking space, DEL) would fail that tenant after the others started.
    check('accountName', (v) => v.trim().length > 0 && v.length <= 50 && ACCOUNT_NAME.test(v), 'must be 1-50 printable ASCII characters (the AWS account name: letters, digits, spaces and punctuation)', 'use a name such as "Acme Logistics"');
    check('email', (v) => EMAIL.test(v) && v.length >= 6 && v.length <= 64, 'must be an email address of 6-64 characters, unique in AWS (the account root user)', 'use an address such as "aws+acme@example.com"');
    check('organizationalUnitId', (v) => OU.test(v), 'must be an OU id ("ou-" then the root part and 8-32 letters or digits)', 'copy it from `aws organizations list-organizational-units-for-parent` (a target OU of the tenant baseline StackSet)');
    check('homeRegion', (v) => AWS_REGIONS.includes(v), 'must be an AWS Region', 'use a Region name such as "eu-west-1" (the Region of the control plane that onboards the tenant)');
  });
  for (const field of ['tenantId', 'email', 'requestId'] as const) {
    const seen = new Map<string, number>();
    raw.forEach((r, i) => {
      const v = r?.[field];
      if (typeof v !== 'string') return;
      if (seen.has(v)) problem(labels[i](field), `repeats request ${seen.get(v)} of the batch`, v, `give each tenant one request in a batch${field === 'email' ? ' and each account its own email' : ''}`);
      else seen.set(v, i);
    });
  }
  if (problems.length > 0) throw new CliError(problems.join('\n'));
  return raw.map((r) => Object.fromEntries(FIELDS.map((f) => [f, r[f]])) as unknown as OnboardingRequest);
}

function flagName(flag: string): string {
  return `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function readRequestsFile(file: string, cwd: string): Array<Record<string, unknown>> {
  const full = path.resolve(cwd, file);
  if (!existsSync(full)) throw new CliError({ subject: '--file', problem: 'no such file', value: file, fix: 'pass the path of a JSON array of requests' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(full, 'utf-8'));
  } catch (error) {
    throw new CliError({ subject: `--file ${file}`, problem: `is not JSON (${(error as Error).message})`, fix: 'write a JSON array of requests' });
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new CliError({ subject: `--file ${file}`, problem: 'must be a non-empty JSON array of requests', value: parsed, fix: 'write [{ "requestId": ..., "tenantId": ..., "accountName": ..., "email": ..., "organizationalUnitId": ..., "homeRegion": ... }]' });
  }
  return parsed as Array<Record<string, unknown>>;
}
