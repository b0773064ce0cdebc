/**
 * Task `Credentials` reach the integration resolved (ASL "Task state": Credentials holds a RoleArn,
 * given literally, by a `RoleArn.$` path or a JSONata expression; "Accessing resources in other AWS
 * accounts" in the Step Functions Developer Guide), and one reader/writer serves every Distributed
 * Map's ItemReader/ResultWriter while a per-state option still wins.
 */
import { IntegrationRequest, runExecution } from '../../src/local';

const RESOURCE = 'arn:aws:states:::aws-sdk:s3:getObject';
const ROLE = 'arn:aws:iam::111111111111:role/FleetDeployRole';

function recorder(): { seen: Array<IntegrationRequest['credentials']>; integrations: Record<string, (r: IntegrationRequest) => unknown> } {
  const seen: Array<IntegrationRequest['credentials']> = [];
  return { seen, integrations: { 'arn:aws:states:::aws-sdk:s3:': (r) => { seen.push(r.credentials); return {}; } } };
}

function task(extra: object, queryLanguage?: 'JSONata'): object {
  return { ...(queryLanguage ? { QueryLanguage: queryLanguage } : {}), StartAt: 'Call', States: { Call: { Type: 'Task', Resource: RESOURCE, End: true, ...extra } } };
}

describe('local runtime: Task Credentials', () => {
  test('GIVEN Credentials with RoleArn.$ WHEN the Task runs THEN the integration receives the resolved role ARN', async () => {
    const { seen, integrations } = recorder();
    const result = await runExecution(task({ Credentials: { 'RoleArn.$': '$.role' }, Parameters: { Bucket: 'b', Key: 'k' } }), { role: ROLE }, { integrations });
    expect(result.status).toBe('SUCCEEDED');
    expect(seen).toEqual([{ RoleArn: ROLE }]);
  });

  test('GIVEN a literal RoleArn, or a JSONata expression WHEN the Task runs THEN the integration receives it', async () => {
    const literal = recorder();
    await runExecution(task({ Credentials: { RoleArn: ROLE }, Parameters: { Bucket: 'b', Key: 'k' } }), {}, { integrations: literal.integrations });
    const jsonata = recorder();
    await runExecution(task({ Credentials: { RoleArn: '{% $states.input.role %}' }, Arguments: { Bucket: 'b', Key: 'k' } }, 'JSONata'), { role: ROLE }, { integrations: jsonata.integrations });
    expect(literal.seen).toEqual([{ RoleArn: ROLE }]);
    expect(jsonata.seen).toEqual([{ RoleArn: ROLE }]);
  });

  test('GIVEN no Credentials WHEN the Task runs THEN the integration receives none (the state machine\'s own role)', async () => {
    const { seen, integrations } = recorder();
    await runExecution(task({ Parameters: { Bucket: 'b', Key: 'k' } }), {}, { integrations });
    expect(seen).toEqual([undefined]);
  });

  test('GIVEN Credentials whose RoleArn resolves to a number WHEN the Task runs THEN the execution fails with States.Runtime naming the state and the value', async () => {
    const { seen, integrations } = recorder();
    const result = await runExecution(task({ Credentials: { 'RoleArn.$': '$.role' }, Parameters: { Bucket: 'b', Key: 'k' } }), { role: 7 }, { integrations });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.Runtime');
    expect(result.cause).toBe("An error occurred while executing the state 'Call' (entered at the event id #2). The Credentials field must resolve to an object with a RoleArn string, got {\"RoleArn\":7}");
    expect(seen).toEqual([]);
  });
});

function distributedMap(name: string): object {
  return {
    Type: 'Map',
    ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'items', 'Key.$': '$.key' } },
    ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: `Echo-${name}`, States: { [`Echo-${name}`]: { Type: 'Pass', End: true } } },
    ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: name } },
    ResultPath: `$.${name}`,
  };
}

describe('local runtime: one ItemReader/ResultWriter for every Distributed Map', () => {
  test('GIVEN itemReader and resultWriter options WHEN two Distributed Maps run THEN both read and write through them with resolved Parameters, and a per-state itemReaders entry wins', async () => {
    const reads: unknown[] = [];
    const writes: Array<{ stateName: string; parameters: unknown; count: number; mapRunArn?: string }> = [];
    const definition = {
      StartAt: 'First',
      States: { First: { ...distributedMap('first'), Next: 'Second' }, Second: { ...distributedMap('second'), End: true } },
    };
    const result = await runExecution(definition, { key: 'wave.json' }, {
      itemReader: (r) => { reads.push(r.parameters); return [{ n: 1 }, { n: 2 }]; },
      itemReaders: { Second: [{ n: 3 }] },
      resultWriter: (r) => { writes.push({ stateName: r.stateName, parameters: r.parameters, count: r.results.length, mapRunArn: r.mapRunArn }); return { written: r.stateName }; },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(reads).toEqual([{ Bucket: 'items', Key: 'wave.json' }]);
    expect(writes.map(({ stateName, parameters, count }) => ({ stateName, parameters, count }))).toEqual([
      { stateName: 'First', parameters: { Bucket: 'results', Prefix: 'first' }, count: 2 },
      { stateName: 'Second', parameters: { Bucket: 'results', Prefix: 'second' }, count: 1 },
    ]);
    expect(writes[0].mapRunArn).toMatch(/^arn:aws:states:[^:]*:\d{12}:mapRun:[^/]+\/First:/);
    expect((result.output as any).first).toEqual({ written: 'First' });
  });
});
