/**
 * A service stack reduced to what the local runtime, `fleet graph` and `fleet cost` read: its
 * synthesized template plus the few facts only the construct tree knows (table construct paths,
 * handler sources, the rendered workflow). Plain JSON, so the fleet CLI can keep it in its
 * synthesis cache and run a workflow without building the stack again. This module is the
 * shape alone (no aws-cdk-lib); `synthesize-service.ts` makes one from a stack.
 */
import type { CfnTemplate } from './cfn-resolver';
import type { FunctionSource } from './service-resources';

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

/** True for what `synthesizeService` returned (possibly read back from JSON). */
export function isSynthesizedService(value: unknown): value is SynthesizedService {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === SYNTHESIZED_SERVICE_FORMAT
    && typeof (value as { template?: unknown }).template === 'object';
}
