/**
 * The service integrations a fleet workflow uses besides Lambda, run locally:
 * - `arn:aws:states:::dynamodb:<action>` (optimized) and `arn:aws:states:::aws-sdk:dynamodb:<action>`
 *   (AWS SDK integration) against the embedded DynamoDB;
 * - `arn:aws:states:::events:putEvents`: recorded and answered, never sent.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Integration, StatesError } from '../local';

/** Actions of the optimized DynamoDB integration (Step Functions Developer Guide, "DynamoDB"), plus Query. */
const OPTIMIZED_ACTIONS = ['getItem', 'putItem', 'updateItem', 'deleteItem', 'query'];

/**
 * DynamoDB integrations. An action maps to the SDK command of the same name (`updateItem` ->
 * `UpdateItemCommand`); the result is the API response without SDK metadata. Errors are named as
 * Step Functions names them: `DynamoDB.<Exception>` (optimized) or `DynamoDb.<Exception>` (SDK).
 */
export function dynamoDbIntegrations(client: () => Promise<DynamoDBClient>): Record<string, Integration> {
  const run = (prefix: string, errorPrefix: string, allowed?: string[]): Integration => async (request) => {
    const override = request.findHandler();
    if (override) return override(request.parameters, request.context);
    const action = request.resource.slice(prefix.length).replace(/\.(sync(:\d+)?|waitForTaskToken)$/, '');
    if (allowed && !allowed.includes(action)) {
      throw new StatesError('States.Runtime',
        `State '${request.stateName}' calls ${request.resource}: the optimized DynamoDB integration has no action '${action}'. Fix: use one of ${allowed.join(', ')}, or arn:aws:states:::aws-sdk:dynamodb:${action}.`);
    }
    const m = require('@aws-sdk/client-dynamodb') as Record<string, any>;
    const commandName = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
    const Command = m[commandName];
    if (typeof Command !== 'function') {
      throw new StatesError('States.Runtime', `State '${request.stateName}' calls ${request.resource}: DynamoDB has no API action '${action}'.`);
    }
    try {
      const { $metadata: _metadata, ...response } = await (await client()).send(new Command(request.parameters ?? {}));
      return response;
    } catch (error) {
      const name = (error as Error).name || 'Error';
      throw new StatesError(`${errorPrefix}.${name}`, (error as Error).message);
    }
  };
  return {
    'arn:aws:states:::dynamodb:': run('arn:aws:states:::dynamodb:', 'DynamoDB', OPTIMIZED_ACTIONS),
    'arn:aws:states:::aws-sdk:dynamodb:': run('arn:aws:states:::aws-sdk:dynamodb:', 'DynamoDb'),
  };
}

/** One entry of an EventBridge PutEvents request, as the state sent it. */
export interface RecordedEvent {
  readonly Source?: string;
  readonly DetailType?: string;
  /** An object in the Step Functions integration (a JSON string in the raw API). */
  readonly Detail?: unknown;
  readonly EventBusName?: string;
  readonly Resources?: string[];
  readonly Time?: string;
  readonly TraceHeader?: string;
}

/** `events:putEvents`: each entry is appended to `sink`; the response is what EventBridge returns. */
export function putEventsIntegration(sink: RecordedEvent[]): Record<string, Integration> {
  return {
    'arn:aws:states:::events:putEvents': (request) => {
      const override = request.findHandler();
      if (override) return override(request.parameters, request.context);
      const entries = ((request.parameters as { Entries?: RecordedEvent[] } | undefined)?.Entries) ?? [];
      sink.push(...entries);
      return {
        Entries: entries.map((_, i) => ({ EventId: `${request.requestId.slice(0, 28)}${String(i).padStart(8, '0')}` })),
        FailedEntryCount: 0,
      };
    },
  };
}
