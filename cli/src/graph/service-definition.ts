import * as path from 'path';
import { CliError } from '../errors';
import { synthesizedService } from '../synthesis-cache';

/**
 * The state machine definition of the service in `dir`, as rendered from its state graph (CDK
 * tokens as opaque strings), from the synthesis cache (built with the factory `src/main.ts`
 * declares, without checks or bundling). The workflow's own synth-time validation runs first,
 * so an invalid definition is reported, not drawn.
 */
export function loadServiceDefinition(dir: string, service: string): Record<string, unknown> {
  const { workflow } = synthesizedService(dir, service).service;
  if (workflow === undefined) {
    throw new CliError({ subject: `The stack buildStack in ${path.join(dir, 'src', 'main.ts')} returns`, problem: 'has no workflow (a ServiceWorkflow in a public `workflow` field)', fix: 'run npx projen at the fleet root to regenerate src/stack.ts' });
  }
  if (workflow.problems.length > 0 || workflow.definition === undefined) {
    throw new CliError(workflow.problems.map((p: string) => ({ subject: `The workflow of service ${service}`, problem: `is invalid: ${p}`, fix: 'correct src/workflow.ts (the same checks run when the service synthesizes)' })));
  }
  return workflow.definition;
}
