/** A simulated AWS organization for the local runtime: see README.md. */
export { SimulatedAws } from './simulated-aws';
export type { SimulatedAwsOptions } from './simulated-aws';
export { NO_CHANGES_REASON, contentOf } from './cloudformation';
export type { StackBehaviour, BehaviourOf, StackUpdateRecord } from './cloudformation';
export type { AlarmState } from './cloudwatch';
export { ASSUME_ROLE_FAILURE } from './organization';
export type { SimulatedRole } from './organization';
export { RATE_EXCEEDED } from './errors';
export type { RateLimit } from './token-bucket';
export type { SecondsRange } from './seeded';
export type { OrganizationsBehaviour, SimulatedStackSet } from './organizations';
