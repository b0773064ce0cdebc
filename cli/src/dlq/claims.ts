/**
 * The account ids a failure event's payload claims. The payload is written by tenant code (or
 * copied from what a tenant's device sent), so it is evidence, never authority: a message is
 * redriven only when every claim agrees with the envelope account that AWS set.
 */

/** One account id found in the payload, and where. */
export interface AccountClaim {
  /** JSON path of the field, e.g. `detail.requestContext.functionArn`. */
  readonly path: string;
  readonly account: string;
}

/** Field names whose 12-digit value claims an account, compared case-insensitively. */
const ACCOUNT_KEYS = new Set(['account', 'accountid', 'awsaccountid', 'tenant', 'tenantid', 'owner', 'ownerid', 'recipientaccountid']);
/** An ARN whose account field is 12 digits: `arn:partition:service:region:account:resource`. */
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):.+$/;
const ACCOUNT_ID = /^\d{12}$/;
/** Bounds on the walk: a hostile payload must not make the tool hang. */
const MAX_DEPTH = 32;
const MAX_NODES = 20_000;

/** The account of an ARN, or undefined when it has none (S3 buckets, AWS-managed policies). */
export function arnAccount(arn: string): string | undefined {
  return ARN.exec(arn)?.[1];
}

/**
 * Every account the event claims outside its envelope `account`: the ARNs in `resources`, and
 * in `detail` (walked to a bounded depth) every whole-string ARN with an account and every
 * account-like field (`account`, `accountId`, `tenantId`, ...) holding 12 digits. Inside a Lambda
 * failure record this covers `requestContext.functionArn` and the original event in
 * `requestPayload` (its `account`, its `resources`).
 */
export function accountClaims(event: { resources?: unknown; detail?: unknown }): AccountClaim[] {
  const claims: AccountClaim[] = [];
  const budget = { nodes: 0 };
  walk(event.resources, 'resources', 0, claims, budget, undefined);
  walk(event.detail, 'detail', 0, claims, budget, undefined);
  if (budget.nodes > MAX_NODES) claims.push({ path: 'detail', account: 'unreadable: payload too large to check' });
  return claims;
}

function walk(value: unknown, path: string, depth: number, claims: AccountClaim[], budget: { nodes: number }, key: string | undefined): void {
  if (++budget.nodes > MAX_NODES) return;
  if (typeof value === 'string') {
    const account = arnAccount(value);
    if (account) claims.push({ path, account });
    else if (key !== undefined && ACCOUNT_KEYS.has(key.toLowerCase()) && ACCOUNT_ID.test(value)) claims.push({ path, account: value });
    return;
  }
  if (typeof value === 'number') {
    if (key !== undefined && ACCOUNT_KEYS.has(key.toLowerCase()) && Number.isInteger(value) && String(value).length === 12) {
      claims.push({ path, account: String(value) });
    }
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_DEPTH) {
    // Too deep to check is not "nothing claimed": report it so the message is quarantined.
    claims.push({ path, account: 'unreadable: nested too deeply to check' });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1, claims, budget, key));
    return;
  }
  for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`, depth + 1, claims, budget, k);
}
