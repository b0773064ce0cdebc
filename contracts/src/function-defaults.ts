/**
 * The defaults of every tenant function, shared by the construct (`TenantFunction`), the
 * generated stack and the generated README. 10 s: small single-purpose functions; Lambda's own
 * default of 3 s is tight for a cold start that creates SDK clients. 256 MB: CPU scales with it.
 */
export const FUNCTION_DEFAULTS = {
  timeoutSeconds: 10,
  memoryMb: 256,
} as const;
