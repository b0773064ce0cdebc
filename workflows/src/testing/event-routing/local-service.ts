/**
 * One service stack as deployed into a local tenant account: its template resolved with the
 * tenant's stand-in values, its tables (named uniquely in the account, as CloudFormation names
 * them), its functions, its state machines, its EventBridge rules with their targets, and the
 * asynchronous invocation configuration of each function.
 */
import { LocalStateMachine, LocalRuntimeConfigError } from '../../local';
import { compileEventPattern, CompiledEventPattern, EventPatternError, TargetInputSettings } from '../../event-patterns';
import { ServiceStack } from '../../service-stack';
import { CfnResolver, CfnTemplate } from '../cfn-resolver';
import { LocalFunction } from '../lambda-host';
import { definitionOf, functionsFrom, LocalTable, tablesFrom } from '../service-resources';
import { synthesizeOnUse } from '../run-workflow';
import { isSynthesizedService, SynthesizedService } from '../synthesized-service';

/** Lambda's defaults for asynchronous invocation (Lambda Developer Guide, "Asynchronous invocation"). */
export const LAMBDA_ASYNC_DEFAULTS = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600 } as const;

/** How Lambda handles a failed or old asynchronous event of a function (`AWS::Lambda::EventInvokeConfig`). */
export interface AsyncInvokeConfig {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeInSeconds: number;
  /** ARN of the on-failure destination. */
  readonly onFailure?: string;
}

/** A rule target, resolved. */
export interface LocalRuleTarget {
  /** The target's `Id` in the rule. */
  readonly id: string;
  readonly arn: string;
  readonly kind: 'state-machine' | 'lambda' | 'other';
  /** Logical id of the state machine or function. */
  readonly logicalId?: string;
  readonly input: TargetInputSettings;
  readonly deadLetterArn?: string;
}

/** An `AWS::Events::Rule` of the stack with an event pattern on the account's default bus. */
export interface LocalRule {
  readonly logicalId: string;
  /** Construct path in the stack (e.g. `ShiftEndedRoute/Rule`). */
  readonly path: string;
  /** Stand-in name (CloudFormation generates the real one) and ARN. */
  readonly name: string;
  readonly arn: string;
  readonly pattern: CompiledEventPattern;
  readonly targets: LocalRuleTarget[];
}

/** Options shared by every service of one local tenant account. */
export interface LocalServiceOptions {
  readonly region: string;
  readonly accountId: string;
  readonly parameters: Record<string, string>;
  readonly logLevel?: string;
}

/** A service stack loaded for local delivery. */
export class LocalService {
  /** Loads `stack` (synthesized once per stack: CDK caches the assembly). */
  static load(stack: ServiceStack | SynthesizedService, options: LocalServiceOptions): LocalService {
    return new LocalService(isSynthesizedService(stack) ? stack : synthesizeOnUse(stack), options);
  }

  readonly name: string;
  readonly template: CfnTemplate;
  readonly resolver: CfnResolver;
  readonly tables: LocalTable[];
  readonly functions: LocalFunction[];
  readonly rules: LocalRule[];
  private readonly machines = new Map<string, LocalStateMachine>();

  private constructor(readonly synthesized: SynthesizedService, readonly options: LocalServiceOptions) {
    const stack = synthesized;
    this.name = stack.serviceName;
    this.template = stack.template;
    // Table names are unique per account: CloudFormation prefixes them with the stack name.
    this.tables = tablesFrom(this.template, stack.tablePaths, (id) => `${stack.stackName}-${id}`);
    this.resolver = new CfnResolver(this.template, {
      region: options.region,
      accountId: options.accountId,
      partition: 'aws',
      stackName: stack.stackName,
      parameters: options.parameters,
      tableNames: Object.fromEntries(this.tables.map((t) => [t.logicalId, t.spec.name])),
    });
    this.functions = functionsFrom(this.template, stack.functions, this.resolver, options.logLevel);
    this.rules = this.readRules();
  }

  /** The state machine with logical id `id`, compiled once. */
  machine(id: string): LocalStateMachine {
    let machine = this.machines.get(id);
    if (!machine) {
      const props = this.template.Resources?.[id]?.Properties ?? {};
      machine = LocalStateMachine.compile(definitionOf(this.resolver, id, props));
      this.machines.set(id, machine);
    }
    return machine;
  }

  /** Construct path below the stack of resource `id` (`ShiftEndedRoute/Rule`), else `id`. */
  pathOf(id: string): string {
    return Object.prototype.hasOwnProperty.call(this.synthesized.resourcePaths, id) ? this.synthesized.resourcePaths[id] : id;
  }

  /** The function with logical id `id`. */
  fn(id: string): LocalFunction | undefined {
    return this.functions.find((f) => f.logicalId === id);
  }

  /** The asynchronous invocation configuration of function `id` (Lambda's defaults when it has none). */
  asyncConfig(id: string): AsyncInvokeConfig {
    for (const [configId, resource] of Object.entries(this.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
      const p = this.resolver.resolve(resource.Properties ?? {}, configId) as Record<string, any>;
      if (p.FunctionName !== id && p.FunctionName !== this.fn(id)?.arn) continue;
      return {
        maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? LAMBDA_ASYNC_DEFAULTS.maximumRetryAttempts),
        maximumEventAgeInSeconds: Number(p.MaximumEventAgeInSeconds ?? LAMBDA_ASYNC_DEFAULTS.maximumEventAgeInSeconds),
        onFailure: p.DestinationConfig?.OnFailure?.Destination,
      };
    }
    return { ...LAMBDA_ASYNC_DEFAULTS };
  }

  private readRules(): LocalRule[] {
    const resources = this.template.Resources ?? {};
    const byArn = new Map<string, { kind: 'state-machine' | 'lambda'; logicalId: string }>();
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type === 'AWS::StepFunctions::StateMachine') byArn.set(this.resolver.resolve({ Ref: id }, id), { kind: 'state-machine', logicalId: id });
      if (r.Type === 'AWS::Lambda::Function') byArn.set(this.resolver.resolve({ 'Fn::GetAtt': [id, 'Arn'] }, id), { kind: 'lambda', logicalId: id });
    }
    const rules: LocalRule[] = [];
    const problems: string[] = [];
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type !== 'AWS::Events::Rule') continue;
      const p = r.Properties ?? {};
      const bus = p.EventBusName === undefined ? 'default' : this.resolver.resolve(p.EventBusName, `${id}.EventBusName`);
      if (p.EventPattern === undefined || p.State === 'DISABLED' || (bus !== 'default' && !String(bus).endsWith(':event-bus/default'))) continue;
      const path = this.pathOf(id);
      let pattern: CompiledEventPattern;
      try {
        const raw = typeof p.EventPattern === 'string' ? JSON.parse(p.EventPattern) : this.resolver.resolve(p.EventPattern, `${id}.EventPattern`);
        pattern = compileEventPattern(raw, `Rule ${path} of ${this.name}: EventPattern`);
      } catch (error) {
        if (error instanceof EventPatternError) {
          problems.push(...error.problems);
          continue;
        }
        throw error;
      }
      const targets = ((this.resolver.resolve(p.Targets ?? [], `${id}.Targets`) as Record<string, any>[])).map((t): LocalRuleTarget => {
        const arn = String(t.Arn);
        // A function target may name a version or alias: arn:...:function:<name>:<qualifier>.
        const resource = byArn.get(arn) ?? byArn.get(arn.replace(/(:function:[^:]+):[^:]+$/, '$1'));
        return {
          id: String(t.Id),
          arn,
          kind: resource?.kind ?? 'other',
          logicalId: resource?.logicalId,
          input: { Input: t.Input, InputPath: t.InputPath, InputTransformer: t.InputTransformer },
          deadLetterArn: t.DeadLetterConfig?.Arn,
        };
      });
      rules.push({
        logicalId: id,
        path,
        name: id,
        arn: `arn:aws:events:${this.options.region}:${this.options.accountId}:rule/${id}`,
        pattern,
        targets,
      });
    }
    if (problems.length > 0) {
      throw new LocalRuntimeConfigError(`${problems.join('\n')}\n(EventBridge refuses these patterns when the stack is deployed.)`);
    }
    return rules;
  }
}
