/**
 * Where a service's own rules send an event: `fleet run` uses it to say when the input it was
 * given would, in AWS, go elsewhere than the state machine.
 */
import { EventEnvelopeError, toEventEnvelope } from '../../event-patterns';
import { ServiceStack } from '../../service-stack';
import type { SynthesizedService } from '../synthesized-service';
import { LocalService } from './local-service';

/** One target of one rule that matches the event. */
export interface MatchedRoute {
  /** Construct path of the rule in the stack (e.g. `HeartbeatRoute/Rule`). */
  readonly rule: string;
  readonly kind: 'state-machine' | 'lambda' | 'other';
  /** Logical id of the state machine or function. */
  readonly logicalId?: string;
  /** The handler name (`HandlerBundle` entry) of a function target. */
  readonly handlerName?: string;
  readonly arn: string;
}

/**
 * The targets the stack's rules deliver `event` to, or undefined when `event` is not an
 * EventBridge event (no `source` or `detail-type`: then it is a workflow input, not an event).
 */
export function routesFor(stack: ServiceStack | SynthesizedService, event: unknown): MatchedRoute[] | undefined {
  let envelope;
  try {
    envelope = toEventEnvelope(event, { account: '123456789012', region: 'us-east-1', time: new Date().toISOString(), id: () => 'routes-for' });
  } catch (error) {
    if (error instanceof EventEnvelopeError) return undefined;
    throw error;
  }
  const service = LocalService.load(stack, { region: envelope.region, accountId: envelope.account, parameters: {} });
  return service.rules.filter((rule) => rule.pattern.matches(envelope)).flatMap((rule) => rule.targets.map((t) => ({
    rule: rule.path,
    kind: t.kind,
    logicalId: t.logicalId,
    handlerName: t.kind === 'lambda' && t.logicalId ? service.fn(t.logicalId)?.handlerName : undefined,
    arn: t.arn,
  })));
}
