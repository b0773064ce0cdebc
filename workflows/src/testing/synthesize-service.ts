/**
 * `synthesizeService(stack)`: a service stack reduced to a `SynthesizedService`, reading the
 * construct tree for what the template does not say (table construct paths, handler sources,
 * the rendered workflow). The only testing module that needs aws-cdk-lib at run time: the
 * runners require it on use, when they are given a stack (aws-cdk-lib is then loaded anyway).
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { IConstruct } from 'constructs';
import { ServiceStack } from '../service-stack';
import { TenantFunction } from '../tenant-function';
import { CfnTemplate } from './cfn-resolver';
import { FunctionSource } from './service-resources';
import { SYNTHESIZED_SERVICE_FORMAT, SynthesizedService } from './synthesized-service';

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

/** Construct path (below the stack) of each DynamoDB table, by logical id: what `tablesFrom` reads. */
export function tablePathsOf(stack: Stack): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const c of stack.node.findAll()) {
    if (c instanceof dynamodb.CfnTable) paths[stack.resolve(c.logicalId)] = relativePath(stack, c);
  }
  return paths;
}

/** Construct path of `construct` below the stack (`Table/Table/Resource`). */
export function relativePath(stack: Stack, construct: IConstruct): string {
  return construct.node.path.slice(stack.node.path.length + 1);
}

/** Every `TenantFunction` of the stack and its handler source. */
export function functionSourcesOf(stack: Stack): FunctionSource[] {
  const sources: FunctionSource[] = [];
  for (const c of stack.node.findAll()) {
    if (!(c instanceof TenantFunction)) continue;
    sources.push({
      logicalId: stack.resolve((c.node.defaultChild as unknown as { logicalId: string }).logicalId),
      path: c.node.path,
      handlerName: c.handlerName,
      entry: c.bundle.entries[c.handlerName],
    });
  }
  return sources;
}
