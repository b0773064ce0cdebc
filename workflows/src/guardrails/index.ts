export * from './fleet-guardrails-checks';
export * from './rules';
