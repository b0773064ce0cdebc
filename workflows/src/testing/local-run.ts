/**
 * `@fleet/workflows/local-run`: running a synthesized service on the laptop (`runWorkflow`,
 * `serviceWorkflowRuntime`, `routesFor`, `sendEvent`) without aws-cdk-lib, esbuild or
 * typescript. The fleet CLI imports this subpath: with a `SynthesizedService` read from its
 * synthesis cache, a warm `fleet run` builds no stack and loads none of them. Given a stack,
 * the same functions synthesize it first (aws-cdk-lib is then loaded by whoever built it).
 */
export { runWorkflow, serviceWorkflowRuntime } from './run-workflow';
export type { RunWorkflowOptions, ServiceWorkflowRuntime, TableItem, TableSnapshot, TaskOverride, WorkflowRun } from './run-workflow';
export { closeEmbeddedDynamoDb } from './embedded-dynamodb';
export { isSynthesizedService, SYNTHESIZED_SERVICE_FORMAT } from './synthesized-service';
export type { SynthesizedService } from './synthesized-service';
export { routesFor, sendEvent } from './event-routing';
export type { MatchedRoute } from './event-routing';
