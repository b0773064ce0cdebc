import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ServiceStack, ServiceWorkflow, WorkflowContext } from '../src';
import { buildFixtureService } from './fixtures/service';

/** A stack with a workflow of no functions, defined by `define`. */
function stackWith(define: (ctx: WorkflowContext) => sfn.IChainable): ServiceStack {
  const app = new App();
  const stack = new ServiceStack(app, 'Orders', { serviceName: 'order-intake', blueprintVersion: '1.4.0' });
  new ServiceWorkflow(stack, 'Workflow', { functions: {}, failureBus: stack.failureBus, define });
  return stack;
}

describe('ServiceWorkflow validates its definition at synth', () => {
  test('a Choice rule with an invalid JSONPath Variable fails synthesis, naming the state and the reason', () => {
    // GIVEN a Choice whose condition reads a path that is not JSONPath
    const stack = stackWith((ctx) => new sfn.Choice(ctx.scope, 'Is big?')
      .when(sfn.Condition.numberGreaterThan('$.order..', 100), new sfn.Succeed(ctx.scope, 'Big'))
      .otherwise(new sfn.Succeed(ctx.scope, 'Small')));

    // WHEN synthesized THEN
    expect(() => Template.fromStack(stack)).toThrow(
      'Validation failed with the following errors:\n'
      + '  [Orders/Workflow] Invalid workflow definition: state "Is big?" at States.Is big?.Choices[0].Variable: '
      + "Invalid JSONPath '$.order..': empty field name at position 9. Fix: correct the state in the workflow's define function (src/workflow.ts).",
    );
  });

  test('a JSONata state using a JSONPath-only field fails synthesis', () => {
    // GIVEN a JSONata Pass state with Parameters (JSONPath only; JSONata uses Output)
    const stack = stackWith((ctx) => sfn.Pass.jsonata(ctx.scope, 'Shape order', { outputs: { id: '{% $states.input.id %}' } })
      .next(new sfn.Pass(ctx.scope, 'Keep id', { parameters: { 'id.$': '$.id' }, queryLanguage: sfn.QueryLanguage.JSONATA })));

    // WHEN synthesized THEN
    expect(() => Template.fromStack(stack)).toThrow(
      'Validation failed with the following errors:\n'
      + '  [Orders/Workflow] Invalid workflow definition: state "Keep id" at States.Keep id.Parameters: '
      + "field 'Parameters' is not supported in JSONata states (use Arguments, Output and {% %} expressions). "
      + "Fix: correct the state in the workflow's define function (src/workflow.ts).",
    );
  });

  test('every problem is reported, one line each', () => {
    // GIVEN two broken states
    const stack = stackWith((ctx) => new sfn.Pass(ctx.scope, 'Pick', { parameters: { 'total.$': 'States.MathAdd($.a)' } })
      .next(new sfn.Wait(ctx.scope, 'Pause', { time: sfn.WaitTime.secondsPath('$.delay..') })));

    // WHEN synthesized THEN
    expect(() => Template.fromStack(stack)).toThrow(
      'Validation failed with the following errors:\n'
      + '  [Orders/Workflow] Invalid workflow definition: state "Pick" at States.Pick.Parameters: '
      + "Invalid intrinsic function 'States.MathAdd($.a)': States.MathAdd takes 2 arguments, got 1. "
      + "Fix: correct the state in the workflow's define function (src/workflow.ts).\n"
      + '  [Orders/Workflow] Invalid workflow definition: state "Pause" at States.Pause.SecondsPath: '
      + "Invalid JSONPath '$.delay..': empty field name at position 9. Fix: correct the state in the workflow's define function (src/workflow.ts).",
    );
  });

  test('the fixture service (Lambda tasks with token ARNs, catchers, the failure path) synthesizes', () => {
    // GIVEN
    const { stack, workflow } = buildFixtureService();

    // WHEN
    Template.fromStack(stack);

    // THEN tokens stay opaque strings in the rendered definition
    expect(workflow.renderDefinition()).toMatchObject({
      StartAt: 'hello',
      States: { hello: { Resource: 'arn:${AWS::Partition}:states:::lambda:invoke', Parameters: { FunctionName: '${Hello4A628BD4.Arn}' } } },
    });
  });

  test('a Task whose Resource is wholly a CloudFormation reference (payloadResponseOnly) synthesizes', () => {
    // GIVEN a LambdaInvoke whose Resource is the function's ARN (Fn::GetAtt)
    const { stack, hello } = buildFixtureService();
    new ServiceWorkflow(stack, 'DirectWorkflow', {
      functions: { hello }, failureBus: stack.failureBus,
      define: (ctx) => new tasks.LambdaInvoke(ctx.scope, 'Call directly', { lambdaFunction: hello, payloadResponseOnly: true }),
    });

    // WHEN / THEN (other guardrails may still report on this stack; the definition is valid)
    expect(() => Template.fromStack(stack)).not.toThrow(/Invalid workflow definition/);
  });

  test('a valid definition synthesizes', () => {
    // GIVEN
    const stack = stackWith((ctx) => new sfn.Pass(ctx.scope, 'Start', { parameters: { 'id.$': '$.id' } })
      .next(new sfn.Choice(ctx.scope, 'Has id?')
        .when(sfn.Condition.isPresent('$.id'), new sfn.Succeed(ctx.scope, 'Done'))
        .otherwise(new sfn.Fail(ctx.scope, 'No id', { error: 'MissingId' }))));

    // WHEN
    const template = Template.fromStack(stack);

    // THEN
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });
});
