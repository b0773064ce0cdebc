import type { TenantBaselineStack } from './stack';

/**
 * Your additions to every tenant account: written once, never overwritten. Whatever you add
 * here is paid in every tenant account, thousands of times: the fleet guardrails fail the
 * synthesis on anything that costs while idle unless you acknowledge it with a reason, and
 * `npx fleet cost --tenants <n>` prices it. For example, a budget alarm role, or a tag policy.
 */
export function extendTenantBaseline(_stack: TenantBaselineStack): void {
  // Nothing yet.
}
