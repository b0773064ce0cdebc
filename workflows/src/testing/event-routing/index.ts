/**
 * A tenant account on the laptop: `sendEvent(stacks, event)` routes an event by the services'
 * own EventBridge rules and delivers it to their targets as AWS would.
 */
export { sendEvent } from './send-event';
export type {
  CentralFailure, EventOrigin, LambdaDelivery, OtherDestination, RoutedEvent, SendEventOptions, SendEventResult,
  ServiceTableSnapshot, StateMachineDelivery, TargetDelivery, UnroutedEvent,
} from './send-event';
export type { AsyncOutcome, LambdaAttempt, LambdaError } from './async-invocation';
export type { AsyncInvokeConfig } from './local-service';
export { routesFor } from './routes-for';
export type { MatchedRoute } from './routes-for';
