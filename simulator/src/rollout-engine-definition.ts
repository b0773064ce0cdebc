/**
 * The rollout engine exactly as the control plane deploys it: a `RolloutEngine` construct with
 * the id and props the `ControlPlane` blueprint writes into `projects/control-plane/src/stack.ts`
 * (`new RolloutEngine(this, 'Rollout', { organizationId, ...rollout tunables })`), synthesized by
 * aws-cdk-lib and its state machine definition resolved with stand-in names, as CloudFormation
 * would hand it to Step Functions. Synthesis takes seconds; it runs once per process and props.
 */
import { RolloutEngine, RolloutEngineProps, serviceApp } from '@fleet/workflows';
import { CfnResolver } from '@fleet/workflows/testing';
import { Stack } from 'aws-cdk-lib';

/** What a simulation needs from the synthesized control plane. */
export interface SynthesizedEngine {
  /** The state machine definition (ASL), intrinsics resolved. */
  readonly definition: Record<string, unknown>;
  /** The rollout bucket's stand-in name (the wave lists go there). */
  readonly bucket: string;
  /** The status table's stand-in name. */
  readonly tableName: string;
}

/** The stand-ins for the central account's resources. */
export interface EngineStandIns {
  readonly region: string;
  readonly centralAccountId: string;
  readonly tableName: string;
}

/** The tunables of the engine: the control-plane blueprint's `rollout` option. */
export type EngineTunables = Pick<RolloutEngineProps, 'pollSeconds' | 'maxPolls' | 'throttleAttempts' | 'maxBackoffSeconds' | 'pausePollSeconds' | 'minimumStackUpdateSeconds' | 'minimumStackUpdateSecondsByService'>;

const cache = new Map<string, SynthesizedEngine>();

/** The synthesized engine for these props, cached per process. */
export function synthesizeRolloutEngine(organizationId: string, tunables: EngineTunables, standIns: EngineStandIns): SynthesizedEngine {
  const key = JSON.stringify([organizationId, tunables, standIns]);
  const cached = cache.get(key);
  if (cached) return cached;
  // The stack id is the blueprint's stack name; the construct id and props are the blueprint's.
  // Without the template validator and the cdk-nag packs: the control plane's own build runs
  // them (projects/control-plane); here they would cost seconds and change nothing in the definition.
  const app = serviceApp({ validation: false, bundling: false });
  const stack = new Stack(app, 'control-plane');
  const engine = new RolloutEngine(stack, 'Rollout', { organizationId, ...tunables });
  const template = app.synth().getStackByName('control-plane').template;
  const tableId = stack.getLogicalId(engine.statusTable.node.defaultChild as any);
  const resolver = new CfnResolver(template as any, {
    region: standIns.region, accountId: standIns.centralAccountId, partition: 'aws', stackName: 'control-plane', tableNames: { [tableId]: standIns.tableName },
  });
  const [machine] = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const synthesized: SynthesizedEngine = {
    definition: JSON.parse(resolver.resolve(machine.Properties.DefinitionString, 'DefinitionString') as string),
    bucket: resolver.resolve({ Ref: stack.getLogicalId(engine.rolloutBucket.node.defaultChild as any) }, 'bucket') as string,
    tableName: standIns.tableName,
  };
  cache.set(key, synthesized);
  return synthesized;
}
