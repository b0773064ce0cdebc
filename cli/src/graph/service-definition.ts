import type { Stack } from 'aws-cdk-lib';
import { CliError } from '../errors';
import { loadServiceStack } from '../service-stack';

/** What `fleet graph` needs of a service's `ServiceWorkflow`. */
interface RenderableWorkflow {
  renderDefinition(): Record<string, unknown>;
  readonly node: { validate(): string[] };
}

/**
 * The state machine definition of the service in `dir`, as rendered from its state graph (CDK
 * tokens as opaque strings): builds the stack with the factory `src/main.ts` declares (in an App
 * without checks or bundling, not synthesized) and asks its `workflow` for the definition. The
 * workflow's own synth-time validation runs first, so an invalid definition is reported, not drawn.
 */
export function loadServiceDefinition(dir: string, service: string): Record<string, unknown> {
  const { stack, file } = loadServiceStack<Stack & { workflow?: RenderableWorkflow }>(dir, service);
  const workflow = stack.workflow;
  if (workflow === undefined || typeof workflow.renderDefinition !== 'function') {
    throw new CliError(`The stack buildStack in ${file} returns has no workflow (a ServiceWorkflow in a public \`workflow\` field). Fix: run npx projen at the fleet root to regenerate src/stack.ts.`);
  }
  const problems = workflow.node.validate();
  if (problems.length > 0) {
    throw new CliError(`The workflow of service ${service} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return workflow.renderDefinition();
}
