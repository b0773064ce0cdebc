/**
 * Resolves the CloudFormation intrinsics of a synthesized template with local stand-in values,
 * the way CloudFormation would at deployment in one tenant account: `Ref`, `Fn::GetAtt`,
 * `Fn::Join`, `Fn::Sub`, `Fn::If` (with the template's Conditions), `Fn::Select`, `Fn::Split`,
 * `Fn::Equals`/`Not`/`And`/`Or`, and the pseudo parameters.
 *
 * Anything it cannot resolve (an import, an unknown attribute, a resource type without a stand-in)
 * throws, naming the intrinsic and where it is: a silently wrong ARN would make the local run lie.
 */
import type { CfnTemplate } from '@fleet/contracts';
import { LocalRuntimeConfigError } from '../local';

export type { CfnTemplate };

export interface StandIns {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly stackName: string;
  /** Values of template parameters; others take their `Default`. */
  readonly parameters?: Record<string, string>;
  /** The local name of each DynamoDB table, by logical id. */
  readonly tableNames: Record<string, string>;
}

/** What `Ref` and `Fn::GetAtt` return per resource type, from the CloudFormation resource reference. */
type AttributeFn = (logicalId: string, s: StandIns) => string;
const RESOURCE_VALUES: Record<string, { ref: AttributeFn; attributes: Record<string, AttributeFn> }> = {
  'AWS::Lambda::Function': {
    ref: (id) => id,
    attributes: { Arn: (id, s) => `arn:${s.partition}:lambda:${s.region}:${s.accountId}:function:${id}` },
  },
  'AWS::DynamoDB::Table': {
    ref: (id, s) => tableName(id, s),
    attributes: {
      Arn: (id, s) => `arn:${s.partition}:dynamodb:${s.region}:${s.accountId}:table/${tableName(id, s)}`,
      StreamArn: (id, s) => `arn:${s.partition}:dynamodb:${s.region}:${s.accountId}:table/${tableName(id, s)}/stream/1970-01-01T00:00:00.000`,
    },
  },
  'AWS::Events::EventBus': {
    ref: (id) => id,
    attributes: {
      Arn: (id, s) => `arn:${s.partition}:events:${s.region}:${s.accountId}:event-bus/${id}`,
      Name: (id) => id,
    },
  },
  'AWS::StepFunctions::StateMachine': {
    ref: (id, s) => `arn:${s.partition}:states:${s.region}:${s.accountId}:stateMachine:${id}`,
    attributes: {
      Arn: (id, s) => `arn:${s.partition}:states:${s.region}:${s.accountId}:stateMachine:${id}`,
      Name: (id) => id,
    },
  },
  'AWS::SQS::Queue': {
    ref: (id, s) => `https://sqs.${s.region}.amazonaws.com/${s.accountId}/${id}`,
    attributes: {
      Arn: (id, s) => `arn:${s.partition}:sqs:${s.region}:${s.accountId}:${id}`,
      QueueName: (id) => id,
      QueueUrl: (id, s) => `https://sqs.${s.region}.amazonaws.com/${s.accountId}/${id}`,
    },
  },
  'AWS::SNS::Topic': {
    ref: (id, s) => `arn:${s.partition}:sns:${s.region}:${s.accountId}:${id}`,
    attributes: { TopicArn: (id, s) => `arn:${s.partition}:sns:${s.region}:${s.accountId}:${id}`, TopicName: (id) => id },
  },
  'AWS::S3::Bucket': {
    ref: (id) => id.toLowerCase(),
    attributes: { Arn: (id, s) => `arn:${s.partition}:s3:::${id.toLowerCase()}` },
  },
  'AWS::Logs::LogGroup': {
    ref: (id) => id,
    attributes: { Arn: (id, s) => `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:${id}:*` },
  },
  'AWS::IAM::Role': {
    ref: (id) => id,
    attributes: { Arn: (id, s) => `arn:${s.partition}:iam::${s.accountId}:role/${id}` },
  },
};

function tableName(id: string, s: StandIns): string {
  return s.tableNames[id] ?? id;
}

/** Resolves every intrinsic in `value`; `where` names the value in error messages. */
export class CfnResolver {
  constructor(
    private readonly template: CfnTemplate,
    private readonly standIns: StandIns,
  ) {}

  resolve(value: unknown, where: string): any {
    if (Array.isArray(value)) return value.map((v, i) => this.resolve(v, `${where}[${i}]`));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0];
      if (key === 'Ref') return this.ref(arg, where);
      if (key === 'Condition') return this.condition(arg, where);
      if (key.startsWith('Fn::')) return this.fn(key, arg, where);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) out[k] = this.resolve(v, `${where}.${k}`);
    return out;
  }

  /** Evaluates a named condition of the template. */
  condition(name: unknown, where: string): boolean {
    const conditions = this.template.Conditions ?? {};
    if (typeof name !== 'string' || !(name in conditions)) {
      throw unresolvable(where, 'Condition', name, `the template's Conditions are ${JSON.stringify(Object.keys(conditions))}`);
    }
    return Boolean(this.resolve(conditions[name], `Conditions.${name}`));
  }

  private ref(name: unknown, where: string): string {
    if (typeof name !== 'string') throw unresolvable(where, 'Ref', name, 'Ref takes a logical id or a pseudo parameter name');
    const s = this.standIns;
    switch (name) {
      case 'AWS::Region': return s.region;
      case 'AWS::AccountId': return s.accountId;
      case 'AWS::Partition': return s.partition;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return s.stackName;
      case 'AWS::StackId': return `arn:${s.partition}:cloudformation:${s.region}:${s.accountId}:stack/${s.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NoValue': return undefined as unknown as string;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      const value = s.parameters?.[name] ?? parameter.Default;
      if (value === undefined) throw unresolvable(where, 'Ref', name, `give the parameter a value with the parameters option`);
      return String(value);
    }
    const resource = this.template.Resources?.[name];
    if (!resource) throw unresolvable(where, 'Ref', name, 'no resource or parameter has that logical id');
    const values = RESOURCE_VALUES[resource.Type];
    if (!values) throw unresolvable(where, 'Ref', name, `resources of type ${resource.Type} have no local stand-in (supported: ${Object.keys(RESOURCE_VALUES).join(', ')})`);
    return values.ref(name, s);
  }

  private fn(key: string, arg: unknown, where: string): unknown {
    switch (key) {
      case 'Fn::GetAtt': {
        const [id, attribute] = typeof arg === 'string' ? arg.split(/\.(.*)/s) : (arg as unknown[]);
        const resource = typeof id === 'string' ? this.template.Resources?.[id] : undefined;
        if (!resource) throw unresolvable(where, key, arg, 'no resource has that logical id');
        const attr = RESOURCE_VALUES[resource.Type]?.attributes[String(attribute)];
        if (!attr) throw unresolvable(where, key, arg, `attribute ${String(attribute)} of ${resource.Type} has no local stand-in`);
        return attr(id as string, this.standIns);
      }
      case 'Fn::Join': {
        const [delimiter, parts] = arg as [string, unknown];
        const list = this.resolve(parts, `${where}.Fn::Join`);
        if (!Array.isArray(list)) throw unresolvable(where, key, arg, 'Fn::Join takes [delimiter, [values]]');
        return list.filter((v) => v !== undefined).join(delimiter);
      }
      case 'Fn::Sub': {
        const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
        const resolvedVars = this.resolve(vars ?? {}, `${where}.Fn::Sub`) as Record<string, unknown>;
        return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
          if (name in resolvedVars) return String(resolvedVars[name]);
          return name.includes('.') && !name.startsWith('AWS::')
            ? String(this.fn('Fn::GetAtt', name, where))
            : this.ref(name, where);
        }).replace(/\$\{!/g, '${');
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = arg as [string, unknown, unknown];
        return this.condition(condition, where) ? this.resolve(whenTrue, where) : this.resolve(whenFalse, where);
      }
      case 'Fn::Equals': {
        const [a, b] = this.resolve(arg, where) as [unknown, unknown];
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not': return !(this.resolve(arg, where) as unknown[])[0];
      case 'Fn::And': return (this.resolve(arg, where) as unknown[]).every(Boolean);
      case 'Fn::Or': return (this.resolve(arg, where) as unknown[]).some(Boolean);
      case 'Fn::Select': {
        const [index, list] = this.resolve(arg, where) as [number | string, unknown[]];
        return list[Number(index)];
      }
      case 'Fn::Split': {
        const [delimiter, text] = this.resolve(arg, where) as [string, string];
        return text.split(delimiter);
      }
      default:
        throw unresolvable(where, key, arg, 'the local runner resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::If, Fn::Select, Fn::Split and conditions only');
    }
  }
}

function unresolvable(where: string, intrinsic: string, arg: unknown, why: string): LocalRuntimeConfigError {
  return new LocalRuntimeConfigError(
    `${where}: cannot resolve ${intrinsic} ${JSON.stringify(arg)} locally: ${why}. Fix: remove it from what the workflow or its functions use, or run that part with a mock or an override.`,
  );
}
