/**
 * Running a service's workflow locally with its real handlers and an embedded DynamoDB:
 * `runWorkflow(stack, input, options)`. See ../local/README.md, "Running a workflow locally".
 */
export { runWorkflow, serviceWorkflowRuntime } from './run-workflow';
export type { RunWorkflowOptions, ServiceWorkflowRuntime, TableItem, TableSnapshot, TaskOverride, WorkflowRun } from './run-workflow';
export type { RecordedEvent } from './aws-integrations';
export { closeEmbeddedDynamoDb } from './embedded-dynamodb';
export type { LocalLambdaContext } from './lambda-host';
// The interpreter itself, for running any ASL definition (`fleet run --definition`).
export { runExecution, LocalStateMachine, validateDefinition, DefinitionError, LocalRuntimeConfigError, StatesError } from '../local';
export type { ExecutionResult, HistoryEvent, MockConfig, RunExecutionOptions, TaskContext, TaskHandler, TraceEvent } from '../local';
// A tenant account on the laptop: events routed by the services' own rules (`fleet send`).
export * from './event-routing';
export type { FunctionSource, TableSeed } from './service-resources';
export { isSynthesizedService, SYNTHESIZED_SERVICE_FORMAT } from './synthesized-service';
export { synthesizeService } from './synthesize-service';
export type { SynthesizedService } from './synthesized-service';
// A simulated AWS organization (CloudFormation, S3, CloudWatch, STS by Credentials) for aws-sdk tasks.
export * from './simulated-aws';
export { dynamoDbIntegrations } from './aws-integrations';
export { embeddedDynamoDb, clientFor, createTables } from './embedded-dynamodb';
export type { TableSpec } from './embedded-dynamodb';
export type { Integration, IntegrationRequest, ItemReaderRequest, ResultWriterRequest, TaskCredentials } from '../local';
// Resolves a synthesized template's intrinsics with stand-in names (a definition as CloudFormation would deploy it).
export { CfnResolver } from './cfn-resolver';
export type { StandIns } from './cfn-resolver';
// For tests of the JSONata fast path on real definitions: which expressions it compiles, and each answer it gives.
export { auditJsonataFastPath, hasJsonataFastPath } from '../local/jsonata-adapter';
export type { FastPathSample } from '../local/jsonata-adapter';
