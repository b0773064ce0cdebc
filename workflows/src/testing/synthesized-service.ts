/**
 * A service stack reduced to what the local runtime, `fleet graph` and `fleet cost` read: its
 * synthesized template plus the few facts only the construct tree knows (table construct paths,
 * handler sources, the rendered workflow). Plain JSON, so the fleet CLI can keep it in its
 * synthesis cache and run a workflow without building the stack again.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { ServiceStack } from '../service-stack';
import { CfnTemplate } from './cfn-resolver';
import { FunctionSource, functionSourcesOf, tablePathsOf } from './service-resources';

/** Bumped when the shape changes, so a cache never serves an older shape. */
export const SYNTHESIZED_SERVICE_FORMAT = 1;

export interface SynthesizedService {
  readonly format: typeof SYNTHESIZED_SERVICE_FORMAT;
  readonly serviceName: string;
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** Construct path of each DynamoDB table below the stack, by logical id. */
  readonly tablePaths: Record<string, string>;
  /** Every `TenantFunction` and its handler source. */
  readonly functions: FunctionSource[];
  /** Construct path below the stack of every resource, by logical id (`ShiftEndedRoute/Rule`). */
  readonly resourcePaths: Record<string, string>;
  /**
   * `renderDefinition()` of the stack's `workflow` (CDK tokens as opaque strings), when it has a
   * valid one; the problems of an invalid one otherwise.
   */
  readonly workflow?: { readonly definition?: Record<string, unknown>; readonly problems: string[] };
}

interface RenderableWorkflow {
  renderDefinition(): Record<string, unknown>;
  readonly node: { validate(): string[] };
}

/**
 * Synthesizes `stack` (once: CDK keeps the assembly) and records what the local runners need;
 * with `renderWorkflow: false` (a run, not a drawing) the workflow is left out.
 */
export function synthesizeService(stack: ServiceStack, options: { readonly renderWorkflow?: boolean } = {}): SynthesizedService {
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  const candidate = (stack as ServiceStack & { workflow?: RenderableWorkflow }).workflow;
  let workflow: SynthesizedService['workflow'];
  if (options.renderWorkflow !== false && candidate !== undefined && typeof candidate.renderDefinition === 'function') {
    const problems = candidate.node.validate();
    workflow = problems.length > 0 ? { problems } : { definition: candidate.renderDefinition(), problems };
  }
  return {
    format: SYNTHESIZED_SERVICE_FORMAT,
    serviceName: stack.serviceName,
    stackName: stack.stackName,
    template,
    tablePaths: tablePathsOf(stack),
    functions: functionSourcesOf(stack),
    resourcePaths: resourcePathsOf(stack),
    ...(workflow ? { workflow } : {}),
  };
}

/** True for what `synthesizeService` returned (possibly read back from JSON). */
export function isSynthesizedService(value: unknown): value is SynthesizedService {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === SYNTHESIZED_SERVICE_FORMAT
    && typeof (value as { template?: unknown }).template === 'object';
}

/** Construct path below the stack of every resource, by logical id (`ShiftEndedRoute/Rule`). */
function resourcePathsOf(stack: ServiceStack): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const c of stack.node.findAll()) {
    const cfn = c as unknown as { logicalId?: unknown; cfnResourceType?: string };
    if (typeof cfn.cfnResourceType !== 'string' || cfn.logicalId === undefined) continue;
    paths[stack.resolve(cfn.logicalId)] = c.node.path.slice(stack.node.path.length + 1).replace(/\/Resource$/, '');
  }
  return paths;
}
