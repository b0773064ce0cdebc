import { existsSync } from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ServiceStack } from '@fleet/workflows';
import { CliError } from '../errors';

/** What `fleet graph` needs of a service's `ServiceWorkflow`. */
interface RenderableWorkflow {
  renderDefinition(): Record<string, unknown>;
  readonly node: { validate(): string[] };
}

let tsxRegistered = false;

/**
 * The state machine definition of the service in `dir`, as rendered from its state graph (CDK
 * tokens as opaque strings): loads `src/stack.ts` in this process with tsx's require hook, finds
 * the exported `ServiceStack` subclass, instantiates it in a fresh `App` (not synthesized: no
 * cloud assembly is written) and asks its `workflow` for the definition. The workflow's own
 * synth-time validation runs first, so an invalid definition is reported, not drawn.
 */
export function loadServiceDefinition(dir: string, service: string): Record<string, unknown> {
  const stackFile = path.join(dir, 'src', 'stack.ts');
  if (!existsSync(stackFile)) {
    throw new CliError(`Service ${service} has no ${stackFile}. Fix: run npx projen at the fleet root to generate it.`);
  }
  if (!tsxRegistered) {
    // Global (not namespaced) registration: the stack must get the same @fleet/workflows and
    // aws-cdk-lib module instances as this CLI, or `instanceof ServiceStack` would fail.
    // (Its types are ESM-only for this tsconfig's module resolution, hence the local type.)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('tsx/cjs/api') as { register(): () => void }).register();
    tsxRegistered = true;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(stackFile) as Record<string, unknown>;
  const stackClasses = Object.entries(exports).filter(([, value]) => extendsServiceStack(value));
  if (stackClasses.length !== 1) {
    throw new CliError(
      `${stackFile} must export exactly one ServiceStack subclass, found ${stackClasses.length}${stackClasses.length ? ` (${stackClasses.map(([name]) => name).join(', ')})` : ''}. Fix: run npx projen at the fleet root to regenerate src/stack.ts.`,
    );
  }
  const [className, StackClass] = stackClasses[0] as [string, new (scope: App, id: string) => ServiceStack];
  const app = new App({ autoSynth: false });
  const stack = new StackClass(app, service) as ServiceStack & { workflow?: RenderableWorkflow };
  const workflow = stack.workflow;
  if (workflow === undefined || typeof workflow.renderDefinition !== 'function') {
    throw new CliError(`${className} in ${stackFile} has no workflow (a ServiceWorkflow in a public \`workflow\` field). Fix: run npx projen at the fleet root to regenerate src/stack.ts.`);
  }
  const problems = workflow.node.validate();
  if (problems.length > 0) {
    throw new CliError(`The workflow of service ${service} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return workflow.renderDefinition();
}

/** True for a class whose prototype chain reaches `ServiceStack` (ours, or a copy of the same package). */
function extendsServiceStack(value: unknown): boolean {
  if (typeof value !== 'function') return false;
  for (let proto = Object.getPrototypeOf(value); proto && proto !== Function.prototype; proto = Object.getPrototypeOf(proto)) {
    if (proto === ServiceStack || proto.name === 'ServiceStack') return true;
  }
  return false;
}
