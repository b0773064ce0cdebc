import { ManifestProblem } from '../errors';
import { KEBAB_CASE, ProblemCollector } from '../private/checks';
import { CheckedRoute, generatedNameProblems } from './generated-names';

/** How a function may use the service's DynamoDB table (least privilege: grant only this). */
export type TableAccess = 'none' | 'read' | 'write' | 'read-write';
export const TABLE_ACCESS_CHOICES: readonly TableAccess[] = ['none', 'read', 'write', 'read-write'];

/** One Lambda function of a service. Its handler lives in the team-owned `src/functions/<name>.ts`. */
export interface FunctionDeclaration {
  /**
   * What the function does, in one sentence. Becomes the Lambda description and the README row.
   * @default - no description
   */
  readonly description?: string;
  /**
   * What the function may do with the service table; the blueprint grants exactly this.
   * @default 'none'
   */
  readonly tableAccess?: TableAccess;
  /**
   * Timeout in seconds (1-900).
   * @default 10
   */
  readonly timeoutSeconds?: number;
  /**
   * Memory in MB (128-10240).
   * @default 256
   */
  readonly memoryMb?: number;
}

/**
 * An EventBridge rule on the tenant account's default bus. Events go straight to the state
 * machine or a function: no SQS queue in between, because a poller costs money in every idle
 * tenant account.
 */
export interface EventRouteDeclaration {
  /** The event `source` to match, e.g. `scanner.device`. */
  readonly source: string;
  /** The event `detail-type` to match, e.g. `Scan Uploaded`. */
  readonly detailType: string;
  /**
   * Where matching events go: `workflow` (start an execution) or the name of a function.
   * @default 'workflow'
   */
  readonly target?: string;
}

/** Options of the `StepFunctionsService` blueprint. Plain JSON, so they can be written into the service's own `.projenrc.ts`. */
export interface StepFunctionsServiceOptions {
  /** The service name, kebab-case; also the folder, the package and the stack name. */
  readonly name: string;
  /**
   * One sentence on what the service does, for its README and package.json.
   * @default - a generic sentence naming the service
   */
  readonly description?: string;
  /** The service's Lambda functions by name (kebab-case). At least one; 5-15 is the intended size. */
  readonly functions: Record<string, FunctionDeclaration>;
  /**
   * EventBridge routes into the service.
   * @default - no routes: executions are started by other means
   */
  readonly events?: readonly EventRouteDeclaration[];
}

/** More functions than this and a service is probably two services. */
export const MAX_FUNCTIONS_BEFORE_WARNING = 15;

const SERVICE_KEYS = ['name', 'description', 'functions', 'events'];
const FUNCTION_KEYS = ['description', 'tableAccess', 'timeoutSeconds', 'memoryMb'];
const ROUTE_KEYS = ['source', 'detailType', 'target'];
/** Names that would collide with generated files or folders of the service. */
const RESERVED_FUNCTION_NAMES = ['index', 'runtime', 'workflow', 'stack', 'main'];
/** Longest Lambda function description (Lambda API, CreateFunction `Description`). */
const MAX_FUNCTION_DESCRIPTION = 256;
/** Longest event `source` and `detail-type` EventBridge accepts (PutEventsRequestEntry): a route for a longer one never matches. */
const MAX_EVENT_SOURCE = 256;
const MAX_DETAIL_TYPE = 128;

/**
 * Every problem with a service's options, each naming the option, the value and the fix.
 * `subject` is the prefix that locates the service in the manifest, e.g. `services["scan-ingest"]`.
 */
export function validateStepFunctionsServiceOptions(options: unknown, subject: string): ManifestProblem[] {
  const check = new ProblemCollector();
  if (!check.isObject(subject, options, 'declare the service as an object with "name" and "functions"')) {
    return check.problems;
  }
  check.knownKeys(subject, options, [...SERVICE_KEYS, 'blueprint']);
  check.text(`${subject}.description`, options.description, { required: false, fix: 'write one sentence, or leave it out' });

  const functions = options.functions;
  const functionNames: string[] = [];
  const validFunctionNames: string[] = [];
  if (functions === undefined) {
    check.add({
      subject: `${subject}.functions`,
      problem: 'is required: a service needs at least one function',
      fix: 'add functions, e.g. functions: { "validate-scan": { tableAccess: "read" } }',
    });
  } else if (check.isObject(`${subject}.functions`, functions, 'map function names to their options')) {
    functionNames.push(...Object.keys(functions));
    if (functionNames.length === 0) {
      check.add({
        subject: `${subject}.functions`,
        problem: 'must name at least one function',
        value: functions,
        fix: 'add functions, e.g. functions: { "validate-scan": { tableAccess: "read" } }',
      });
    }
    for (const [name, fn] of Object.entries(functions)) {
      const at = `${subject}.functions["${name}"]`;
      const kebab = check.kebabName(`${at} (function name)`, name, { min: 2, max: 40 });
      if (RESERVED_FUNCTION_NAMES.includes(name)) {
        check.add({
          subject: `${at} (function name)`,
          problem: `is reserved (${RESERVED_FUNCTION_NAMES.join(', ')} name generated files)`,
          value: name,
          fix: `rename it, e.g. "${name}-step"`,
        });
      } else if (kebab) {
        validFunctionNames.push(name);
      }
      if (!check.isObject(at, fn, 'give the function an options object, {} for the defaults')) continue;
      check.knownKeys(at, fn, FUNCTION_KEYS);
      check.text(`${at}.description`, fn.description, { required: false, fix: 'write one sentence, or leave it out', maxLength: MAX_FUNCTION_DESCRIPTION });
      check.oneOf(`${at}.tableAccess`, fn.tableAccess, TABLE_ACCESS_CHOICES);
      check.optionalInteger(`${at}.timeoutSeconds`, fn.timeoutSeconds, 1, 900, 'seconds');
      check.optionalInteger(`${at}.memoryMb`, fn.memoryMb, 128, 10240, 'MB');
    }
  }

  const events = options.events;
  const checkedRoutes: CheckedRoute[] = [];
  if (events !== undefined) {
    if (!Array.isArray(events)) {
      check.add({ subject: `${subject}.events`, problem: 'must be a list of routes', value: events, fix: 'write events: [{ source, detailType }]' });
    } else {
      const seen = new Map<string, number>();
      events.forEach((route: unknown, i: number) => {
        const at = `${subject}.events[${i}]`;
        if (!check.isObject(at, route, 'write a route as { source, detailType, target? }')) return;
        check.knownKeys(at, route, ROUTE_KEYS);
        const hasSource = check.text(`${at}.source`, route.source, {
          required: true,
          fix: 'name the event source to match, e.g. "scanner.device"',
          maxLength: MAX_EVENT_SOURCE,
        });
        const hasType = check.text(`${at}.detailType`, route.detailType, {
          required: true,
          fix: 'name the detail-type to match, e.g. "Scan Uploaded"',
          maxLength: MAX_DETAIL_TYPE,
        });
        const target = route.target ?? 'workflow';
        if (typeof target !== 'string' || (target !== 'workflow' && !functionNames.includes(target))) {
          check.add({
            subject: `${at}.target`,
            problem: 'must be "workflow" or the name of one of the service\'s functions',
            value: route.target,
            fix: `use "workflow"${functionNames.length ? ` or one of ${functionNames.map((n) => `"${n}"`).join(', ')}` : ''}`,
          });
        }
        if (hasSource && hasType) {
          const key = `${route.source}|${route.detailType}|${String(target)}`;
          const first = seen.get(key);
          if (first !== undefined) {
            check.add({
              subject: at,
              problem: `routes the same events to the same target as events[${first}]`,
              value: route,
              fix: 'remove one of the two routes',
            });
          } else {
            seen.set(key, i);
            checkedRoutes.push({ index: i, detailType: route.detailType as string });
          }
        } else if (hasType) {
          checkedRoutes.push({ index: i, detailType: route.detailType as string });
        }
      });
    }
  }
  {
    const name = typeof options.name === 'string' && KEBAB_CASE.test(options.name) ? options.name : undefined;
    const declared = {
      functions: typeof functions === 'object' && functions !== null ? functions : {},
      events: Array.isArray(events) ? events.filter((e) => typeof e === 'object' && e !== null) : [],
    };
    for (const problem of generatedNameProblems(name, validFunctionNames, checkedRoutes, subject, declared)) check.add(problem);
  }
  return check.problems;
}

/** Non-fatal advice on a valid service, printed as warnings. */
export function adviseStepFunctionsService(options: StepFunctionsServiceOptions, subject: string): string[] {
  const count = Object.keys(options.functions).length;
  if (count > MAX_FUNCTIONS_BEFORE_WARNING) {
    return [
      `${subject}: has ${count} functions; a service is meant to have 5-${MAX_FUNCTIONS_BEFORE_WARNING} small functions. ` +
        `Consider splitting it into two services along its workflow's sub-flows.`,
    ];
  }
  return [];
}

