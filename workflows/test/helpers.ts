import { Template } from 'aws-cdk-lib/assertions';

/**
 * The state machine definition as an object: the `Fn::Join` parts that are CloudFormation
 * intrinsics (ARNs) are replaced by `"<token>"` so the JSON can be parsed and asserted exactly.
 */
export function definitionOf(template: Template): any {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const body = machines[0].Properties.DefinitionString;
  const parts: unknown[] = body['Fn::Join'][1];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : '<token>')).join(''));
}
