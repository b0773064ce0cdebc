/**
 * The EventBridge event envelope: what a rule matches and a target receives
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).
 * `toEventEnvelope` takes a whole event (as in a service's `events/*.json`) or a PutEvents entry
 * (`Source`, `DetailType`, `Detail`) and fills what EventBridge would set.
 */

/** An event as EventBridge delivers it. */
export interface EventEnvelope {
  readonly 'version': string;
  readonly 'id': string;
  readonly 'detail-type': string;
  readonly 'source': string;
  readonly 'account': string;
  readonly 'time': string;
  readonly 'region': string;
  readonly 'resources': string[];
  readonly 'detail': unknown;
  readonly [field: string]: unknown;
}

/** What EventBridge sets on an event it receives. */
export interface EnvelopeDefaults {
  readonly account: string;
  readonly region: string;
  /** ISO 8601 time of receipt. */
  readonly time: string;
  /** A fresh event id. */
  readonly id: () => string;
}

/** An event that cannot be sent, with every problem found. */
export class EventEnvelopeError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'EventEnvelopeError';
  }
}

const PUT_EVENTS_FIELDS = ['Source', 'DetailType', 'Detail', 'Resources', 'Time', 'EventBusName', 'TraceHeader'];

/** True when `value` is a PutEvents request entry rather than an envelope. */
export function isPutEventsEntry(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && ('Source' in value || 'DetailType' in value) && !('source' in value) && !('detail-type' in value);
}

/**
 * The envelope of `value`: an envelope (missing `version`, `id`, `account`, `time`, `region`,
 * `resources` and `detail` filled in) or a PutEvents entry (converted as PutEvents would:
 * `Detail` is JSON text or, as in the Step Functions integration, an object).
 *
 * @param subject names the event in error messages (for example the file it came from)
 * @throws EventEnvelopeError listing every problem
 */
export function toEventEnvelope(value: unknown, defaults: EnvelopeDefaults, subject = 'event'): EventEnvelope {
  const problems: string[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EventEnvelopeError([`${subject}: must be a JSON object (an EventBridge event with source, detail-type and detail, or a PutEvents entry with Source, DetailType and Detail), got ${JSON.stringify(value)}. Fix: write the event as an object.`]);
  }
  if (isPutEventsEntry(value)) return fromEntry(value, defaults, subject);

  const event = value as Record<string, unknown>;
  for (const field of ['source', 'detail-type']) {
    if (typeof event[field] !== 'string' || event[field] === '') {
      problems.push(`${subject}: "${field}" must be a non-empty string, got ${JSON.stringify(event[field])}. Fix: set "${field}" (rules match on it).`);
    }
  }
  if (event.detail !== undefined && (event.detail === null || typeof event.detail !== 'object' || Array.isArray(event.detail))) {
    problems.push(`${subject}: "detail" must be a JSON object, got ${JSON.stringify(event.detail)}. Fix: put the event's data in an object.`);
  }
  if (event.resources !== undefined && (!Array.isArray(event.resources) || !event.resources.every((r) => typeof r === 'string'))) {
    problems.push(`${subject}: "resources" must be a list of ARNs, got ${JSON.stringify(event.resources)}. Fix: give a list of strings, or leave it out.`);
  }
  for (const field of ['version', 'id', 'account', 'time', 'region']) {
    if (event[field] !== undefined && typeof event[field] !== 'string') {
      problems.push(`${subject}: "${field}" must be a string, got ${JSON.stringify(event[field])}. Fix: quote it, or leave it out to have it set.`);
    }
  }
  if (problems.length > 0) throw new EventEnvelopeError(problems);
  return {
    ...event,
    'version': (event.version as string | undefined) ?? '0',
    'id': (event.id as string | undefined) ?? defaults.id(),
    'detail-type': event['detail-type'] as string,
    'source': event.source as string,
    'account': (event.account as string | undefined) ?? defaults.account,
    'time': (event.time as string | undefined) ?? defaults.time,
    'region': (event.region as string | undefined) ?? defaults.region,
    'resources': (event.resources as string[] | undefined) ?? [],
    'detail': event.detail ?? {},
  };
}

function fromEntry(entry: Record<string, unknown>, defaults: EnvelopeDefaults, subject: string): EventEnvelope {
  const problems: string[] = [];
  const unknown = Object.keys(entry).filter((k) => !PUT_EVENTS_FIELDS.includes(k));
  if (unknown.length > 0) {
    problems.push(`${subject}: PutEvents entries have no field ${unknown.map((k) => JSON.stringify(k)).join(', ')}. Fix: use ${PUT_EVENTS_FIELDS.join(', ')}.`);
  }
  for (const field of ['Source', 'DetailType']) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      problems.push(`${subject}: ${field} must be a non-empty string, got ${JSON.stringify(entry[field])}. Fix: set ${field} (PutEvents refuses an entry without it).`);
    }
  }
  let detail: unknown = entry.Detail ?? {};
  let parsed = true;
  if (typeof detail === 'string') {
    try {
      detail = JSON.parse(detail);
    } catch (error) {
      parsed = false;
      problems.push(`${subject}: Detail must be JSON text of an object, got ${JSON.stringify(entry.Detail)} (${(error as Error).message}). Fix: send JSON.stringify of the detail object.`);
    }
  }
  if (parsed && (detail === null || typeof detail !== 'object' || Array.isArray(detail))) {
    problems.push(`${subject}: Detail must be a JSON object, got ${JSON.stringify(entry.Detail)}. Fix: send an object.`);
  }
  let time = defaults.time;
  if (entry.Time !== undefined) {
    const parsed = entry.Time instanceof Date ? entry.Time : new Date(String(entry.Time));
    if (Number.isNaN(parsed.getTime())) problems.push(`${subject}: Time must be a timestamp, got ${JSON.stringify(entry.Time)}. Fix: give an ISO 8601 time or leave it out.`);
    else time = parsed.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (problems.length > 0) throw new EventEnvelopeError(problems);
  return {
    'version': '0',
    'id': defaults.id(),
    'detail-type': entry.DetailType as string,
    'source': entry.Source as string,
    'account': defaults.account,
    time,
    'region': defaults.region,
    'resources': Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
    detail,
  };
}
