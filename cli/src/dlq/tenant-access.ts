import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/** Temporary credentials of a tenant session (the shape the SDK clients accept). */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** The clients a redelivery uses, all with the credentials of one tenant session. */
export interface TenantClients {
  readonly eventBridge: EventBridgeClient;
  readonly lambda: LambdaClient;
  readonly sfn: SFNClient;
}

/** Builds a tenant's clients from its session credentials; tests replace it. */
export type TenantClientFactory = (region: string, credentials: AwsCredentialIdentity) => TenantClients;

/** The real clients. */
export const DEFAULT_TENANT_CLIENTS: TenantClientFactory = (region, credentials) => ({
  eventBridge: new EventBridgeClient({ region, credentials }),
  lambda: new LambdaClient({ region, credentials }),
  sfn: new SFNClient({ region, credentials }),
});

/** Gives clients that act inside one tenant account, and nowhere else. */
export interface TenantAccess {
  /** Clients whose credentials belong to `tenant`, for `region`. Throws `TenantAccessError` when there are none. */
  clients(tenant: string, region: string): Promise<TenantClients>;
}

/** No way into a tenant account: the role is missing, not trusted, or not in that account. */
export class TenantAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface AssumedRoleAccessOptions {
  readonly sts: STSClient;
  /** The role assumed in every tenant account. */
  readonly roleName: string;
  /** Builds the tenant's clients. @default DEFAULT_TENANT_CLIENTS */
  readonly makeClients?: TenantClientFactory;
  /** @default 'fleet-dlq-redrive' */
  readonly sessionName?: string;
}

/**
 * Tenant access through `arn:<partition>:iam::<tenant>:role/<roleName>` (the `FleetRecoveryRole`).
 *
 * The role ARN is built from the tenant id alone, and the answer is checked: the assumed
 * role's account must be the tenant, or nothing is delivered. One AssumeRole per tenant and
 * run; a tenant whose role cannot be assumed fails once, not once per message.
 */
export class AssumedRoleAccess implements TenantAccess {
  private readonly sessions = new Map<string, Promise<AwsCredentialIdentity>>();
  private readonly cache = new Map<string, TenantClients>();

  constructor(private readonly options: AssumedRoleAccessOptions) {}

  public async clients(tenant: string, region: string): Promise<TenantClients> {
    if (!/^\d{12}$/.test(tenant)) throw new TenantAccessError(`tenant ${JSON.stringify(tenant)} is not a 12-digit account id`);
    const key = `${tenant}/${region}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    let session = this.sessions.get(tenant);
    if (!session) {
      session = this.assume(tenant, region);
      this.sessions.set(tenant, session);
    }
    const credentials = await session;
    const clients = (this.options.makeClients ?? DEFAULT_TENANT_CLIENTS)(region, credentials);
    this.cache.set(key, clients);
    return clients;
  }

  private async assume(tenant: string, region: string): Promise<AwsCredentialIdentity> {
    const roleArn = `arn:${partitionOf(region)}:iam::${tenant}:role/${this.options.roleName}`;
    let response;
    try {
      response = await this.options.sts.send(new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: this.options.sessionName ?? 'fleet-dlq-redrive',
        DurationSeconds: 900,
      }));
    } catch (error) {
      throw new TenantAccessError(`cannot assume ${roleArn}: ${(error as Error).message}. Fix: deploy FleetRecoveryRole in account ${tenant}, trusting this account, or pass --role-name`);
    }
    const assumedAccount = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\//.exec(response.AssumedRoleUser?.Arn ?? '')?.[1];
    if (assumedAccount !== tenant) {
      throw new TenantAccessError(`assuming ${roleArn} returned a session of ${JSON.stringify(response.AssumedRoleUser?.Arn)}, not of account ${tenant}; nothing is delivered with it`);
    }
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new TenantAccessError(`assuming ${roleArn} returned no credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  }
}

/** `aws`, `aws-cn` or `aws-us-gov`, from the region name. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
