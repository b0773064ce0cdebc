/**
 * The default name of the role `fleet dlq redrive` assumes in a tenant account (created once per
 * account by the tenant baseline; a role name is unique per account).
 */
export const FLEET_RECOVERY_ROLE_NAME = 'FleetRecoveryRole';
