/**
 * Most resources one CloudFormation template may declare.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const CLOUDFORMATION_MAX_RESOURCES = 500;

/**
 * CloudFormation resources a service stack synthesizes, by what the manifest declares. Counted
 * on real synthesized stacks of this blueprint (`blueprints/test/resource-count.test.ts` and the
 * generation property test synthesize generated services and compare with `countStackResources`):
 *
 * - every stack: the table, and the state machine with its role, policy and log group;
 * - each function: the function, its role, the role's policy (the failure destination is
 *   always granted), its log group and its asynchronous invocation config; table access adds
 *   statements to that policy, not resources;
 * - each route: its rule; a route to the workflow shares one events role and policy per stack
 *   (CDK's singleton role of the state machine target), a route to a function adds the
 *   function's invoke permission for that rule.
 */
export const RESOURCES_PER_STACK = 5;
export const RESOURCES_PER_FUNCTION = 5;
export const RESOURCES_PER_ROUTE = 1;
export const RESOURCES_FOR_WORKFLOW_ROUTES = 2;
export const RESOURCES_PER_FUNCTION_ROUTE = 1;

/** How many CloudFormation resources the service's stack will have. */
export function countStackResources(options: { readonly functions: object; readonly events?: readonly { readonly target?: unknown }[] }): number {
  const routes = options.events ?? [];
  const toWorkflow = routes.filter((r) => (r.target ?? 'workflow') === 'workflow').length;
  return RESOURCES_PER_STACK
    + RESOURCES_PER_FUNCTION * Object.keys(options.functions).length
    + RESOURCES_PER_ROUTE * routes.length
    + (toWorkflow > 0 ? RESOURCES_FOR_WORKFLOW_ROUTES : 0)
    + RESOURCES_PER_FUNCTION_ROUTE * (routes.length - toWorkflow);
}

/** Most functions a service without routes can have within the CloudFormation limit. */
export const MAX_FUNCTIONS = Math.floor((CLOUDFORMATION_MAX_RESOURCES - RESOURCES_PER_STACK) / RESOURCES_PER_FUNCTION);
