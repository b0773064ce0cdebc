/**
 * EventBridge on the laptop, the parts a rule applies: the event pattern language, the envelope,
 * and the input a target receives. Free of aws-cdk-lib and the AWS SDK, so the CLI can load it
 * cheaply (`@fleet/workflows/event-patterns`).
 */
export { compileEventPattern, matchesEventPattern, validateEventPattern, EventPatternError, NUMERIC_LIMIT } from './event-pattern';
export type { CompiledEventPattern, EventPattern } from './event-pattern';
export { toEventEnvelope, isPutEventsEntry, EventEnvelopeError } from './event-envelope';
export type { EnvelopeDefaults, EventEnvelope } from './event-envelope';
export { targetInput, TargetInputError } from './target-input';
export type { PredefinedVariables, TargetInputSettings } from './target-input';
