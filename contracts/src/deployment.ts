/**
 * Where a generated project is deployed: the `fleet.deployedTo` field its blueprint writes into
 * package.json. `fleet cost` multiplies only `every-tenant-account` projects by the tenant count;
 * `fleet send` routes only through them.
 */
export const DEPLOYMENTS = ['every-tenant-account', 'central-account'] as const;

/** One of `DEPLOYMENTS`. */
export type Deployment = (typeof DEPLOYMENTS)[number];

/** The deployment of a tenant service (also assumed for a project whose blueprint does not say). */
export const TENANT_DEPLOYMENT: Deployment = DEPLOYMENTS[0];

/** The deployment of a project deployed once, into the central account (the control plane). */
export const CENTRAL_DEPLOYMENT: Deployment = DEPLOYMENTS[1];
