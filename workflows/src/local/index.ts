/**
 * Local Amazon States Language runtime: runs Step Functions definitions (JSONPath and JSONata,
 * variables, every state type, retries and catchers, mocks) in virtual time, in-process.
 * See README.md in this folder for what is supported and how it differs from AWS.
 */
export { runExecution, LocalStateMachine, DefinitionError } from './local-state-machine';
export { validateDefinition, formatProblems } from './validate';
export type { ValidationProblem } from './validate';
export {
  StatesError,
  RuntimeError,
  QueryEvaluationError,
  IntrinsicFailureError,
  UnsupportedFeatureError,
  LocalRuntimeConfigError,
  ErrorNames,
  errorMatches,
} from './errors';
export type { MockConfig, MockedResponseEntry } from './mock-config';
export type { HistoryEvent } from './history';
export { ExecutionTimedOut } from './errors';
export { lambdaFunctionName } from './task-invoker';
export type {
  ContextObject,
  ExecutionResult,
  ExecutionQuotas,
  QuotaStats,
  Integration,
  IntegrationRequest,
  TaskCredentials,
  ItemReaderRequest,
  ResultWriterRequest,
  RunExecutionOptions,
  TaskContext,
  TaskHandler,
  TraceEvent,
  TraceStatus,
} from './types';
export type { StateType, QueryLanguage } from './definition';
// A seeded pseudo-random source (mulberry32): every simulation and test fake draws from it.
export { SeededRandom } from './random';
