/** Tag keys used for cost attribution in every tenant account. */
export const FLEET_TAGS = {
  /** The tenant: one AWS account per tenant, so the account id. */
  TENANT: 'fleet:tenant',
  /** The service (`ServiceStackProps.serviceName`). */
  SERVICE: 'fleet:service',
  /** The blueprint version that generated the service. */
  BLUEPRINT_VERSION: 'fleet:blueprint-version',
} as const;
