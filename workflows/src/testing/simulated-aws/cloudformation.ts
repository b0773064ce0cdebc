/**
 * CloudFormation in each simulated account: stacks and change sets with AWS's status strings,
 * advancing in virtual time. Nothing runs on a timer: a stack's status is computed from the
 * virtual time of the call that asks (`describeStacks` at 12:05 sees what 12:05 would show).
 *
 * Lifecycles (CloudFormation User Guide, "Update stacks using change sets"; API reference
 * `DescribeChangeSet`, `DescribeStacks`, `RollbackConfiguration`):
 * - a change set is CREATE_PENDING, then CREATE_IN_PROGRESS, then CREATE_COMPLETE with
 *   ExecutionStatus AVAILABLE; one with nothing to change ends FAILED, ExecutionStatus
 *   UNAVAILABLE, StatusReason "The submitted information didn't contain changes. Submit different
 *   information to create a change set.";
 * - a CREATE change set makes the stack exist in REVIEW_IN_PROGRESS until it is executed;
 * - executing moves the stack to CREATE_IN_PROGRESS / UPDATE_IN_PROGRESS, then *_COMPLETE, or
 *   on a resource failure, or a rollback alarm in ALARM during MonitoringTimeInMinutes, to
 *   ROLLBACK_IN_PROGRESS -> ROLLBACK_COMPLETE (a create) or UPDATE_ROLLBACK_IN_PROGRESS ->
 *   UPDATE_ROLLBACK_COMPLETE (an update); a stack in ROLLBACK_COMPLETE cannot be updated;
 * - DeleteStack moves a stack to DELETE_IN_PROGRESS, then DELETE_COMPLETE: from then on its name
 *   names no stack ("Stack with id X does not exist"; a new stack may take the name) while its
 *   ARN still describes as DELETE_COMPLETE; deleting a stack that does not exist succeeds.
 * Simplification (said in the README): the monitoring time is spent in *_IN_PROGRESS.
 */
import { StatesError } from '../../local';
import { sdkError, unmodeledError } from './errors';
import { draw, drawSeconds, SecondsRange } from './seeded';

export const NO_CHANGES_REASON = "The submitted information didn't contain changes. Submit different information to create a change set.";
const CHANGE_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;
/** CreateChangeSet StackName (API reference): a name, or a stack ARN. */
const STACK_NAME = /^(?:[a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*)$/;

/** How long things take and how often they fail, per service (the stack name). Every number is a parameter. */
export interface StackBehaviour {
  /** Change set creation. @default 5-20 s (unverified) */
  readonly changeSetSeconds?: SecondsRange;
  /** Executing a change set until *_COMPLETE. @default 60-180 s (unverified) */
  readonly deploySeconds?: SecondsRange;
  /** A rollback until *_ROLLBACK_COMPLETE. @default 30-90 s (unverified) */
  readonly rollbackSeconds?: SecondsRange;
  /** DeleteStack until DELETE_COMPLETE. @default 10-30 s (unverified; a stack a failed create left has no resources) */
  readonly deleteSeconds?: SecondsRange;
  /** Probability in [0, 1] that an execution fails and rolls back. @default 0 */
  readonly failureRate?: number;
}

export type BehaviourOf = (accountId: string, stackName: string) => StackBehaviour;

/**
 * One stack update in the event log (`SimulatedCloudFormation.updates`): an ExecuteChangeSet from
 * its call to the drawn end (complete, or rolled back), or a change set with nothing to change
 * from its creation to its FAILED answer. Recorded when it starts; a rollback trigger that fires
 * later updates its end and outcome. For timelines and exactly-once checks of a simulation.
 */
export interface StackUpdateRecord {
  readonly accountId: string;
  readonly region: string;
  readonly stackName: string;
  readonly changeSetName: string;
  readonly startMs: number;
  readonly endMs: number;
  /** How long its change set took to create (drawn): with `endMs - startMs`, the CloudFormation work of the deployment, for bounds from a run's own times. */
  readonly changeSetMs: number;
  readonly outcome: 'deployed' | 'rolled-back' | 'unchanged';
}

type MutableRecord = { -readonly [K in keyof StackUpdateRecord]: StackUpdateRecord[K] };

interface ChangeSet {
  readonly name: string;
  readonly id: string;
  readonly type: 'CREATE' | 'UPDATE';
  readonly content: string;
  readonly createdAt: number;
  readonly readyAt: number;
  readonly noChanges: boolean;
  readonly rollbackAlarms: readonly string[];
  readonly monitoringMs: number;
  executed: boolean;
}

interface Operation {
  readonly kind: 'CREATE' | 'UPDATE';
  readonly changeSet: ChangeSet;
  readonly startedAt: number;
  readonly deployedAt: number;
  readonly monitoringEndsAt: number;
  readonly resourceFailure: boolean;
  readonly rollbackMs: number;
  readonly record: MutableRecord;
  rollbackStartedAt?: number;
  reason?: string;
}

interface Stack {
  readonly name: string;
  readonly id: string;
  status: string;
  reason?: string;
  deployedContent?: string;
  readonly createdAt: number;
  lastUpdatedAt: number;
  operation?: Operation;
  /** When DeleteStack was called: the stack is DELETE_IN_PROGRESS until `deletedAt`. */
  deletion?: { readonly deletedAt: number };
  readonly changeSets: Map<string, ChangeSet>;
}

export interface CloudFormationCallContext {
  readonly accountId: string;
  readonly region: string;
  readonly nowMs: number;
  readonly requestId: string;
  readonly stateName: string;
}

/** Whether an alarm (name or ARN, in the stack's account) is in ALARM at a virtual time. */
export type AlarmProbe = (accountId: string, alarm: string, atMs: number) => boolean;

const DEFAULTS: Required<StackBehaviour> = {
  changeSetSeconds: { min: 5, max: 20 },
  deploySeconds: { min: 60, max: 180 },
  rollbackSeconds: { min: 30, max: 90 },
  deleteSeconds: { min: 10, max: 30 },
  failureRate: 0,
};

export class SimulatedCloudFormation {
  private readonly stacks = new Map<string, Stack>();
  /** Stack ARN -> key, and change set ARN -> change set: O(1) lookups when a call names them by ARN. */
  private readonly stackKeysById = new Map<string, string>();
  private readonly changeSetsById = new Map<string, ChangeSet>();
  /** Deleted stacks by ARN: DescribeStacks by ARN answers DELETE_COMPLETE, by name "does not exist". */
  private readonly deletedById = new Map<string, Stack>();
  private readonly log: MutableRecord[] = [];
  /** Account -> Region -> stack name -> key (see `key`). */
  private readonly keys = new Map<string, Map<string, Map<string, string>>>();

  constructor(private readonly seed: number, private readonly behaviourOf: BehaviourOf, private readonly alarmInAlarm: AlarmProbe) {}

  /**
   * `<account>/<region>/<stack>`, built once per stack: a rollout looks its stacks up millions
   * of times, and a fresh key string per call had to be built and hashed each time.
   */
  private key(c: CloudFormationCallContext, stackName: string): string {
    let byRegion = this.keys.get(c.accountId);
    if (!byRegion) this.keys.set(c.accountId, (byRegion = new Map()));
    let byName = byRegion.get(c.region);
    if (!byName) byRegion.set(c.region, (byName = new Map()));
    let key = byName.get(stackName);
    if (key === undefined) byName.set(stackName, (key = `${c.accountId}/${c.region}/${stackName}`));
    return key;
  }

  private behaviour(accountId: string, stackName: string): Required<StackBehaviour> {
    const b = this.behaviourOf(accountId, stackName);
    return {
      changeSetSeconds: b.changeSetSeconds ?? DEFAULTS.changeSetSeconds,
      deploySeconds: b.deploySeconds ?? DEFAULTS.deploySeconds,
      rollbackSeconds: b.rollbackSeconds ?? DEFAULTS.rollbackSeconds,
      deleteSeconds: b.deleteSeconds ?? DEFAULTS.deleteSeconds,
      failureRate: b.failureRate ?? DEFAULTS.failureRate,
    };
  }

  /** The stack as it is at `nowMs` (its operation advanced lazily). */
  private settle(stack: Stack, accountId: string, nowMs: number): void {
    if (stack.deletion) {
      stack.status = nowMs < stack.deletion.deletedAt ? 'DELETE_IN_PROGRESS' : 'DELETE_COMPLETE';
      return;
    }
    const op = stack.operation;
    if (!op) return;
    const inProgress = op.kind === 'CREATE' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
    if (op.rollbackStartedAt === undefined) {
      if (op.resourceFailure && nowMs >= op.deployedAt) {
        op.rollbackStartedAt = op.deployedAt;
        op.reason = 'The following resource(s) failed to create or update: [simulated resource failure].';
      } else if (nowMs >= op.deployedAt) {
        // Monitoring: a rollback trigger in ALARM at any moment up to now rolls the stack back.
        const until = Math.min(nowMs, op.monitoringEndsAt);
        const alarm = op.changeSet.rollbackAlarms.find((a) => this.alarmInAlarm(accountId, a, until));
        if (alarm !== undefined && op.changeSet.monitoringMs >= 0 && until >= op.deployedAt) {
          op.rollbackStartedAt = until;
          op.reason = `Rollback triggered by alarm ${alarm} in ALARM state during the monitoring period.`;
          op.record.endMs = until + op.rollbackMs;
          op.record.outcome = 'rolled-back';
        }
      }
    }
    if (op.rollbackStartedAt !== undefined) {
      const done = op.rollbackStartedAt + op.rollbackMs;
      if (nowMs < done) {
        stack.status = op.kind === 'CREATE' ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS';
        stack.reason = op.reason;
      } else {
        stack.status = op.kind === 'CREATE' ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE';
        stack.reason = op.reason;
        stack.lastUpdatedAt = done;
        stack.operation = undefined;
      }
      return;
    }
    if (nowMs < op.monitoringEndsAt) {
      stack.status = inProgress;
      stack.reason = undefined;
      return;
    }
    stack.status = op.kind === 'CREATE' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE';
    stack.reason = undefined;
    stack.deployedContent = op.changeSet.content;
    stack.lastUpdatedAt = op.monitoringEndsAt;
    stack.operation = undefined;
  }

  private find(c: CloudFormationCallContext, stackName: unknown): Stack | undefined {
    if (typeof stackName !== 'string') return undefined;
    const byId = stackName.startsWith('arn:') ? this.stackKeysById.get(stackName) : undefined;
    const key = byId ?? this.key(c, stackName);
    const stack = this.stacks.get(key);
    if (!stack) return undefined;
    this.settle(stack, c.accountId, c.nowMs);
    if (stack.status !== 'DELETE_COMPLETE') return stack;
    // Deleted: the name is free again; the ARN keeps describing the deleted stack.
    this.stacks.delete(key);
    this.stackKeysById.delete(stack.id);
    this.deletedById.set(stack.id, stack);
    return undefined;
  }

  private noStack(c: CloudFormationCallContext, stackName: unknown): StatesError {
    return unmodeledError('CloudFormation', `Stack with id ${String(stackName)} does not exist`, c.requestId);
  }

  createChangeSet(c: CloudFormationCallContext, p: Record<string, any>): unknown {
    const stackName = p.StackName;
    const name = p.ChangeSetName;
    const type = (p.ChangeSetType ?? 'UPDATE') as 'CREATE' | 'UPDATE' | 'IMPORT';
    if (typeof name !== 'string' || !CHANGE_SET_NAME.test(name) || name.length > 128) {
      throw unmodeledError('CloudFormation', `1 validation error detected: Value '${String(name)}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`, c.requestId);
    }
    if (typeof stackName !== 'string' || stackName.length === 0) {
      throw unmodeledError('CloudFormation', "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null", c.requestId);
    }
    // The pattern is the API reference's; the message follows the service's validation form (unverified wording).
    if (!STACK_NAME.test(stackName) || stackName.length > 128) {
      throw unmodeledError('CloudFormation', `1 validation error detected: Value '${stackName}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z][-a-zA-Z0-9]*)|(arn:\\b(aws|aws-us-gov|aws-cn)\\b:[-a-zA-Z0-9:/._+]*)`, c.requestId);
    }
    if (type !== 'CREATE' && type !== 'UPDATE') throw unmodeledError('CloudFormation', `ChangeSetType ${type} is not supported by the simulation`, c.requestId);
    if (p.TemplateURL === undefined && p.TemplateBody === undefined && !p.UsePreviousTemplate) {
      throw unmodeledError('CloudFormation', 'Either Template URL or Template Body must be specified.', c.requestId);
    }
    let stack = this.find(c, stackName);
    if (type === 'CREATE') {
      if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw sdkError('CloudFormation', 'AlreadyExistsException', `Stack [${stackName}] already exists`, c.requestId);
    } else if (!stack || stack.status === 'REVIEW_IN_PROGRESS') {
      throw unmodeledError('CloudFormation', `Stack [${stackName}] does not exist`, c.requestId);
    } else if (stack.status === 'ROLLBACK_COMPLETE' || stack.status === 'ROLLBACK_FAILED' || stack.operation) {
      // An operation in progress (UPDATE_IN_PROGRESS, UPDATE_ROLLBACK_IN_PROGRESS) refuses new updates the same way.
      throw unmodeledError('CloudFormation', `Stack:${stack.id} is in ${stack.status} state and can not be updated.`, c.requestId);
    }
    if (!stack) {
      stack = {
        name: stackName,
        id: `arn:aws:cloudformation:${c.region}:${c.accountId}:stack/${stackName}/${c.requestId}`,
        status: 'REVIEW_IN_PROGRESS',
        createdAt: c.nowMs,
        lastUpdatedAt: c.nowMs,
        changeSets: new Map(),
      };
      this.stacks.set(this.key(c, stackName), stack);
      this.stackKeysById.set(stack.id, this.key(c, stackName));
    }
    if (stack.changeSets.has(name)) throw sdkError('CloudFormation', 'AlreadyExistsException', `ChangeSet [${name}] already exists`, c.requestId);
    const content = contentOf(p, stack.deployedContent);
    const behaviour = this.behaviour(c.accountId, stackName);
    const rollback = (p.RollbackConfiguration ?? {}) as { RollbackTriggers?: Array<{ Arn: string; Type?: string }>; MonitoringTimeInMinutes?: number };
    const triggers = rollback.RollbackTriggers ?? [];
    if (triggers.length > 5) throw unmodeledError('CloudFormation', `1 validation error detected: Value at 'rollbackConfiguration.rollbackTriggers' failed to satisfy constraint: Member must have length less than or equal to 5`, c.requestId);
    const minutes = rollback.MonitoringTimeInMinutes ?? 0;
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 180) {
      throw unmodeledError('CloudFormation', `1 validation error detected: Value '${minutes}' at 'rollbackConfiguration.monitoringTimeInMinutes' failed to satisfy constraint: Member must have value less than or equal to 180`, c.requestId);
    }
    const changeSet: ChangeSet = {
      name,
      id: `arn:aws:cloudformation:${c.region}:${c.accountId}:changeSet/${name}/${c.requestId}`,
      type,
      content,
      createdAt: c.nowMs,
      readyAt: c.nowMs + 1000 * drawSeconds(behaviour.changeSetSeconds, this.seed, c.accountId, stackName, name, 'change-set'),
      noChanges: type === 'UPDATE' && content === stack.deployedContent,
      rollbackAlarms: triggers.map((t) => t.Arn),
      monitoringMs: minutes * 60_000,
      executed: false,
    };
    stack.changeSets.set(name, changeSet);
    this.changeSetsById.set(changeSet.id, changeSet);
    if (changeSet.noChanges) {
      this.log.push({ accountId: c.accountId, region: c.region, stackName, changeSetName: name, startMs: changeSet.createdAt, endMs: changeSet.readyAt, changeSetMs: changeSet.readyAt - changeSet.createdAt, outcome: 'unchanged' });
    }
    return { Id: changeSet.id, StackId: stack.id };
  }

  describeChangeSet(c: CloudFormationCallContext, p: Record<string, any>): unknown {
    const stack = this.find(c, p.StackName);
    const changeSet = stack?.changeSets.get(p.ChangeSetName) ?? this.findChangeSetById(p.ChangeSetName);
    if (!stack || !changeSet) throw sdkError('CloudFormation', 'ChangeSetNotFoundException', `ChangeSet [${String(p.ChangeSetName)}] does not exist`, c.requestId);
    const base = { ChangeSetName: changeSet.name, ChangeSetId: changeSet.id, StackId: stack.id, StackName: stack.name, CreationTime: isoTime(changeSet, 'createdAt') };
    if (c.nowMs < changeSet.createdAt + 1000) return { ...base, Status: 'CREATE_PENDING', ExecutionStatus: 'UNAVAILABLE', Changes: [] };
    if (c.nowMs < changeSet.readyAt) return { ...base, Status: 'CREATE_IN_PROGRESS', ExecutionStatus: 'UNAVAILABLE', Changes: [] };
    if (changeSet.noChanges) return { ...base, Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', StatusReason: NO_CHANGES_REASON, Changes: [] };
    const op = stack.operation;
    const executionStatus = !changeSet.executed
      ? 'AVAILABLE'
      : op?.changeSet === changeSet
        ? 'EXECUTE_IN_PROGRESS'
        : stack.status.endsWith('ROLLBACK_COMPLETE') ? 'EXECUTE_FAILED' : 'EXECUTE_COMPLETE';
    return { ...base, Status: 'CREATE_COMPLETE', ExecutionStatus: executionStatus, Changes: [{ Type: 'Resource' }] };
  }

  private findChangeSetById(id: unknown): ChangeSet | undefined {
    return typeof id === 'string' ? this.changeSetsById.get(id) : undefined;
  }

  private dropChangeSet(stack: Stack, name: string): void {
    const changeSet = stack.changeSets.get(name);
    if (changeSet) this.changeSetsById.delete(changeSet.id);
    stack.changeSets.delete(name);
  }

  executeChangeSet(c: CloudFormationCallContext, p: Record<string, any>): unknown {
    const stack = this.find(c, p.StackName);
    const changeSet = stack?.changeSets.get(p.ChangeSetName);
    if (!stack || !changeSet) throw sdkError('CloudFormation', 'ChangeSetNotFoundException', `ChangeSet [${String(p.ChangeSetName)}] does not exist`, c.requestId);
    if (c.nowMs < changeSet.readyAt || changeSet.noChanges || changeSet.executed) {
      const status = changeSet.executed ? 'EXECUTE_COMPLETE' : 'UNAVAILABLE';
      throw sdkError('CloudFormation', 'InvalidChangeSetStatusException', `ChangeSet [${changeSet.id}] cannot be executed in its current execution status of [${status}]`, c.requestId);
    }
    if (stack.operation) throw unmodeledError('CloudFormation', `Stack:${stack.id} is in ${stack.status} state and can not be updated.`, c.requestId);
    const behaviour = this.behaviour(c.accountId, stack.name);
    const deployMs = 1000 * drawSeconds(behaviour.deploySeconds, this.seed, c.accountId, stack.name, changeSet.name, 'deploy');
    changeSet.executed = true;
    const resourceFailure = draw(this.seed, c.accountId, stack.name, changeSet.name, 'failure') < behaviour.failureRate;
    const rollbackMs = 1000 * drawSeconds(behaviour.rollbackSeconds, this.seed, c.accountId, stack.name, changeSet.name, 'rollback');
    const record: MutableRecord = {
      accountId: c.accountId, region: c.region, stackName: stack.name, changeSetName: changeSet.name, startMs: c.nowMs,
      endMs: resourceFailure ? c.nowMs + deployMs + rollbackMs : c.nowMs + deployMs + changeSet.monitoringMs,
      changeSetMs: changeSet.readyAt - changeSet.createdAt,
      outcome: resourceFailure ? 'rolled-back' : 'deployed',
    };
    this.log.push(record);
    stack.operation = {
      kind: changeSet.type,
      changeSet,
      startedAt: c.nowMs,
      deployedAt: c.nowMs + deployMs,
      monitoringEndsAt: c.nowMs + deployMs + changeSet.monitoringMs,
      resourceFailure,
      rollbackMs,
      record,
    };
    stack.status = changeSet.type === 'CREATE' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
    // CloudFormation deletes a stack's other change sets once one is executed.
    for (const other of [...stack.changeSets.keys()]) if (other !== changeSet.name) this.dropChangeSet(stack, other);
    return {};
  }

  deleteChangeSet(c: CloudFormationCallContext, p: Record<string, any>): unknown {
    const stack = this.find(c, p.StackName);
    const changeSet = stack?.changeSets.get(p.ChangeSetName);
    if (!stack || !changeSet) throw sdkError('CloudFormation', 'ChangeSetNotFoundException', `ChangeSet [${String(p.ChangeSetName)}] does not exist`, c.requestId);
    if (stack.operation?.changeSet === changeSet) throw sdkError('CloudFormation', 'InvalidChangeSetStatusException', `ChangeSet [${changeSet.id}] cannot be deleted in its current execution status of [EXECUTE_IN_PROGRESS]`, c.requestId);
    this.dropChangeSet(stack, changeSet.name);
    // A stack that only ever had this CREATE change set goes with it (REVIEW_IN_PROGRESS).
    if (stack.status === 'REVIEW_IN_PROGRESS' && stack.changeSets.size === 0) {
      this.stacks.delete(this.key(c, stack.name));
      this.stackKeysById.delete(stack.id);
    }
    return {};
  }

  /**
   * DeleteStack: idempotent (a stack that does not exist, or one already being deleted, answers
   * success); refused while an operation runs (unverified wording). The engine deletes only a
   * stack a failed create left in ROLLBACK_COMPLETE, which the service allows and nothing else
   * can change.
   */
  deleteStack(c: CloudFormationCallContext, p: Record<string, any>): unknown {
    const stack = this.find(c, p.StackName);
    if (!stack || stack.deletion) return {};
    if (stack.operation) throw unmodeledError('CloudFormation', `Stack:${stack.id} is in ${stack.status} state and can not be deleted.`, c.requestId);
    const seconds = drawSeconds(this.behaviour(c.accountId, stack.name).deleteSeconds, this.seed, c.accountId, stack.name, String(p.ClientRequestToken ?? stack.id), 'delete');
    stack.deletion = { deletedAt: c.nowMs + 1000 * seconds };
    stack.status = 'DELETE_IN_PROGRESS';
    stack.reason = undefined;
    stack.lastUpdatedAt = c.nowMs;
    for (const name of [...stack.changeSets.keys()]) this.dropChangeSet(stack, name);
    return {};
  }

  describeStacks(c: CloudFormationCallContext, p: Record<string, any>): unknown {
    const deleted = typeof p.StackName === 'string' ? this.deletedById.get(p.StackName) : undefined;
    const stack = this.find(c, p.StackName) ?? deleted;
    if (!stack) throw this.noStack(c, p.StackName);
    return {
      Stacks: [{
        StackId: stack.id,
        StackName: stack.name,
        StackStatus: stack.status,
        ...(stack.reason ? { StackStatusReason: stack.reason } : {}),
        CreationTime: isoTime(stack, 'createdAt'),
        LastUpdatedTime: isoTime(stack, 'lastUpdatedAt'),
      }],
    };
  }

  /**
   * The event log: every stack update executed (ExecuteChangeSet to its drawn end and outcome)
   * and every change set with nothing to change, in call order. The end of an update still
   * being monitored can move earlier when a rollback trigger fires (the log says what is known).
   */
  get updates(): readonly StackUpdateRecord[] {
    return this.log;
  }

  /** For tests: a stack's status and what it runs, at `nowMs`. */
  inspect(accountId: string, region: string, stackName: string, nowMs: number): { status: string; deployedContent?: string; changeSets: string[] } | undefined {
    const stack = this.stacks.get(`${accountId}/${region}/${stackName}`);
    if (!stack) return undefined;
    this.settle(stack, accountId, nowMs);
    return { status: stack.status, deployedContent: stack.deployedContent, changeSets: [...stack.changeSets.keys()] };
  }

  /** For tests: a stack already deployed with some content (an earlier release). */
  seedStack(accountId: string, region: string, stackName: string, content: Record<string, any>, atMs: number): void {
    const key = `${accountId}/${region}/${stackName}`;
    const id = `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/seeded`;
    this.stacks.set(key, { name: stackName, id, status: 'UPDATE_COMPLETE', createdAt: atMs, lastUpdatedAt: atMs, deployedContent: contentOf(content, undefined), changeSets: new Map() });
    this.stackKeysById.set(id, key);
  }
}

/**
 * What a change set would deploy: the template (by URL or body) and the parameters, in order of
 * key, as JSON so that no template or value can read as another split ("A=x&B=y" once collided).
 */
export function contentOf(p: Record<string, any>, previous: string | undefined): string {
  const parameters = ((p.Parameters ?? []) as Array<{ ParameterKey: string; ParameterValue?: string }>)
    .map((x) => [x.ParameterKey, x.ParameterValue ?? ''])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const template = p.UsePreviousTemplate ? (previous === undefined ? '' : (JSON.parse(previous) as [string, unknown])[0]) : String(p.TemplateURL ?? `body:${p.TemplateBody}`);
  return JSON.stringify([template, parameters]);
}

/** Each object's formatted times, by field: polls describe the same stack and change set many times. */
const ISO_TIMES = new WeakMap<object, Record<string, { ms: number; iso: string }>>();

/** `owner[field]` (epoch ms) as ISO-8601, formatted again only when the time changed. */
function isoTime<T extends object, K extends keyof T & string>(owner: T, field: K): string {
  const ms = owner[field] as unknown as number;
  let times = ISO_TIMES.get(owner);
  if (!times) ISO_TIMES.set(owner, (times = {}));
  const cached = times[field];
  if (cached && cached.ms === ms) return cached.iso;
  const iso = new Date(ms).toISOString();
  times[field] = { ms, iso };
  return iso;
}
