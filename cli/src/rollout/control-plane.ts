import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CONTROL_PLANE_OUTPUTS, ONBOARDING_OUTPUTS } from '@fleet/contracts';
import { CliError } from '../errors';
import { explainAwsError } from './aws-errors';

/** The control plane stack's name (projects/control-plane/src/main.ts). */
export const DEFAULT_CONTROL_PLANE_STACK = 'control-plane';

/** What the CLI needs from the deployed control plane: the outputs named by contracts CONTROL_PLANE_OUTPUTS. */
export interface ControlPlane {
  readonly stateMachineArn: string;
  readonly rolloutBucket: string;
  readonly statusTable: string;
  readonly releaseBucketPrefix: string;
  /** Tenant onboarding (ONBOARDING_OUTPUTS); absent when the control plane was built with `onboarding: false`. */
  readonly onboarding?: { readonly stateMachineArn: string; readonly registryTable: string };
}

/**
 * Reads the control plane stack's outputs. A missing stack, or one deployed before the rollout
 * engine existed (no RolloutStateMachineArn output), is "control plane not deployed" with the fix.
 */
export async function findControlPlane(cfn: CloudFormationClient, stackName: string = DEFAULT_CONTROL_PLANE_STACK): Promise<ControlPlane> {
  const notDeployed = (why: string) => new CliError({
    subject: `Control plane stack ${JSON.stringify(stackName)}`,
    problem: why,
    fix: 'deploy the control plane in the central account first (cd projects/control-plane && npx cdk deploy), or pass --control-plane-stack <name>; see docs/deploying.md',
  });
  let outputs: Record<string, string>;
  try {
    const answer = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = answer.Stacks?.[0];
    if (!stack) throw notDeployed('is not deployed in this account and Region');
    // A stack being created, rolled back from its creation, or deleted has no usable outputs.
    if (/^(CREATE_IN_PROGRESS|CREATE_FAILED|ROLLBACK_|DELETE_)/.test(stack.StackStatus ?? '')) {
      throw notDeployed(`is in state ${stack.StackStatus}, not deployed`);
    }
    outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  } catch (error) {
    if (error instanceof CliError) throw error;
    const e = error as { name?: string; message?: string };
    if (e.name === 'ValidationError' && /does not exist/.test(e.message ?? '')) throw notDeployed('is not deployed in this account and Region');
    throw explainAwsError(error, `Reading the control plane stack ${stackName}`, 'cloudformation:DescribeStacks on it');
  }
  const missing = Object.values(CONTROL_PLANE_OUTPUTS).filter((key) => !outputs[key]);
  if (missing.length > 0) throw notDeployed(`has no output ${missing.join(', ')} (deployed before the rollout engine)`);
  return {
    stateMachineArn: outputs[CONTROL_PLANE_OUTPUTS.rolloutStateMachineArn],
    rolloutBucket: outputs[CONTROL_PLANE_OUTPUTS.rolloutBucketName],
    statusTable: outputs[CONTROL_PLANE_OUTPUTS.releaseStatusTableName],
    releaseBucketPrefix: outputs[CONTROL_PLANE_OUTPUTS.releaseBucketPrefix],
    ...(outputs[ONBOARDING_OUTPUTS.onboardingStateMachineArn] && outputs[ONBOARDING_OUTPUTS.tenantRegistryTableName]
      ? { onboarding: { stateMachineArn: outputs[ONBOARDING_OUTPUTS.onboardingStateMachineArn], registryTable: outputs[ONBOARDING_OUTPUTS.tenantRegistryTableName] } }
      : {}),
  };
}
