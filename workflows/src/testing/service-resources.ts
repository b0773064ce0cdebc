/**
 * What the local runners read from a synthesized service stack: its tables, its functions (with
 * their handler sources and resolved environments) and its state machine definitions. Shared by
 * `runWorkflow` (one workflow) and `sendEvent` (a tenant account's rules and targets). Reads the
 * template and a `SynthesizedService` only, never the construct tree (that is
 * `synthesize-service.ts`), so a run from the CLI's synthesis cache loads no aws-cdk-lib.
 */
import { LocalRuntimeConfigError } from '../local';
import { CfnResolver, CfnTemplate } from './cfn-resolver';
import { TableSpec } from './embedded-dynamodb';
import { LocalFunction } from './lambda-host';

/** A DynamoDB item as plain values (what the DocumentClient reads and writes). */
export type TableItem = Record<string, any>;

/** Items to write before a run: by table (logical id or construct path), or an array for the only table. */
export type TableSeed = Record<string, TableItem[]> | TableItem[];

/** A table of the stack, as the local runner creates it. */
export interface LocalTable {
  /** Logical id in the template. */
  readonly logicalId: string;
  /** `spec.name` is the local table name (the logical id, or a name unique in a tenant account). */
  readonly spec: TableSpec;
  /** Construct path of the CfnTable below the stack, e.g. `Table/Table/Resource`. */
  readonly path: string;
}

/** The tables of the template, with their construct paths (`SynthesizedService.tablePaths`). */
export function tablesFrom(template: CfnTemplate, paths: Record<string, string>, nameOf: (logicalId: string) => string = (id) => id): LocalTable[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::DynamoDB::Table')
    .map(([id, r]) => {
      const p = r.Properties ?? {};
      return {
        logicalId: id,
        path: Object.prototype.hasOwnProperty.call(paths, id) ? paths[id] : id,
        spec: {
          name: nameOf(id),
          keySchema: p.KeySchema,
          attributeDefinitions: p.AttributeDefinitions,
          globalSecondaryIndexes: p.GlobalSecondaryIndexes?.map(({ IndexName, KeySchema, Projection }: any) => ({ IndexName, KeySchema, Projection })),
          localSecondaryIndexes: p.LocalSecondaryIndexes?.map(({ IndexName, KeySchema, Projection }: any) => ({ IndexName, KeySchema, Projection })),
        },
      };
    });
}

/**
 * The seed's items by local table name.
 *
 * @param who names the caller in messages (`runWorkflow`, `sendEvent: seed.<service>`)
 */
export function seedByTable(seed: TableSeed | undefined, tables: LocalTable[], who = 'runWorkflow'): [string, TableItem[]][] {
  if (seed === undefined) return [];
  const describe = tables.map((t) => `${t.logicalId} (${t.path.replace(/\/Resource$/, '')})`).join(', ') || '(none)';
  if (Array.isArray(seed)) {
    if (tables.length !== 1) {
      throw new LocalRuntimeConfigError(`${who}: seed is an array but the stack has ${tables.length} tables. Fix: key the items by table: ${describe}.`);
    }
    return [[tables[0].spec.name, seed]];
  }
  return Object.entries(seed).map(([key, items]) => {
    const table = tables.find((t) => t.logicalId === key || t.spec.name === key || t.path === key || t.path.startsWith(`${key}/`));
    if (!table) {
      throw new LocalRuntimeConfigError(`${who}: seed names table ${JSON.stringify(key)}, which is not in the stack. Fix: use a logical id or construct path of ${describe}.`);
    }
    if (!Array.isArray(items)) {
      throw new LocalRuntimeConfigError(`${who}: seed for table ${JSON.stringify(key)} must be an array of items, got ${JSON.stringify(items)}. Fix: give a list of items.`);
    }
    return [table.spec.name, items];
  });
}

/** `chosen` (a logical id), or the logical id of the template's only state machine. */
export function stateMachineLogicalId(stackName: string, template: CfnTemplate, chosen: string | undefined): string {
  if (chosen !== undefined) return chosen;
  const ids = Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine').map(([id]) => id);
  if (ids.length !== 1) {
    throw new LocalRuntimeConfigError(
      `runWorkflow: stack ${stackName} has ${ids.length} state machines ${JSON.stringify(ids)}. Fix: ${ids.length === 0 ? 'add a ServiceWorkflow to the stack' : 'choose one with the workflow option'}.`,
    );
  }
  return ids[0];
}

/** The state machine's definition with every intrinsic and substitution resolved. */
export function definitionOf(resolver: CfnResolver, machineId: string, props: Record<string, any>): object {
  const where = `${machineId}.DefinitionString`;
  let text: string;
  if (props.DefinitionString !== undefined) text = resolver.resolve(props.DefinitionString, where);
  else if (props.Definition !== undefined) text = JSON.stringify(resolver.resolve(props.Definition, `${machineId}.Definition`));
  else {
    throw new LocalRuntimeConfigError(`${machineId}: the state machine has no inline definition (DefinitionS3Location is not read locally). Fix: build it with definitionBody: DefinitionBody.fromChainable(...) or fromString(...).`);
  }
  const substitutions = resolver.resolve(props.DefinitionSubstitutions ?? {}, `${machineId}.DefinitionSubstitutions`) as Record<string, unknown>;
  for (const [key, value] of Object.entries(substitutions)) text = text.split(`\${${key}}`).join(String(value));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LocalRuntimeConfigError(`${where}: the resolved definition is not JSON (${(error as Error).message}). Fix: check the definition's substitutions.`);
  }
}

/** Where a `TenantFunction`'s code comes from: what `functionsFrom` reads (`synthesizeService` takes it from the construct tree). */
export interface FunctionSource {
  readonly logicalId: string;
  readonly path: string;
  readonly handlerName: string;
  /** The handler's `.ts` source (a `HandlerBundle` entry). */
  readonly entry: string;
}

/** The functions of `sources`, with the environment, memory and timeout of their template resource. */
export function functionsFrom(template: CfnTemplate, sources: readonly FunctionSource[], resolver: CfnResolver, logLevel: string | undefined): LocalFunction[] {
  const level = logLevel ?? process.env.POWERTOOLS_LOG_LEVEL;
  return sources.map(({ logicalId, path, handlerName, entry }) => {
    const props = template.Resources?.[logicalId]?.Properties ?? {};
    const environment = resolver.resolve(props.Environment?.Variables ?? {}, `${logicalId}.Environment.Variables`) as Record<string, string>;
    if (level !== undefined) environment.POWERTOOLS_LOG_LEVEL = level;
    delete environment.NODE_OPTIONS;
    return {
      logicalId,
      path,
      handlerName,
      entry,
      exportName: String(props.Handler ?? 'index.handler').split('.').pop() as string,
      environment,
      memorySize: Number(props.MemorySize ?? 128),
      timeoutSeconds: Number(props.Timeout ?? 3),
      arn: resolver.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }, logicalId),
    };
  });
}
