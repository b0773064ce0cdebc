import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { ServiceStack } from '@fleet/workflows';
import { CliError } from '../src/errors';
import { loadServiceStack } from '../src/service-stack';

const FIXTURES = path.join(__dirname, 'fixtures', 'loader');
const REPO = path.resolve(__dirname, '..', '..');

describe('loadServiceStack: the service declares how its stack is built', () => {
  test('GIVEN a generated service WHEN loaded THEN its stack comes from the buildStack of src/main.ts, in an App without checks or bundling', () => {
    const { stack, app, file } = loadServiceStack(path.join(REPO, 'projects', 'scan-ingest'), 'scan-ingest');
    expect(file).toBe(path.join(REPO, 'projects', 'scan-ingest', 'src', 'main.ts'));
    expect(stack).toBeInstanceOf(ServiceStack);
    expect(stack.serviceName).toBe('scan-ingest');
    expect(app.node.tryGetContext('@fleet/workflows:checks')).toBe(false);
    expect(app.node.tryGetContext('aws:cdk:bundling-stacks')).toEqual([]);
    expect(Stack.of(stack).bundlingRequired).toBe(false);
  });

  test('GIVEN a service without src/main.ts THEN the error names the file and says to regenerate', () => {
    const dir = path.join(FIXTURES, 'missing');
    expect(() => loadServiceStack(dir, 'missing')).toThrow(new CliError(
      `Service "missing": has no ${path.join(dir, 'src', 'main.ts')}. Fix: run npx projen at the fleet root to regenerate it.`,
    ));
  });

  test('GIVEN a src/main.ts without a buildStack function THEN the error says what it exports instead', () => {
    const file = path.join(FIXTURES, 'no-factory', 'src', 'main.ts');
    expect(() => loadServiceStack(path.join(FIXTURES, 'no-factory'), 'no-factory')).toThrow(new CliError(
      `${file}: exports no buildStack function, got "undefined". Fix: run npx projen at the fleet root to regenerate src/main.ts (it exports buildStack(app)).`,
    ));
  });

  test('GIVEN a buildStack that returns something else THEN the error shows what it returned', () => {
    const file = path.join(FIXTURES, 'not-a-stack', 'src', 'main.ts');
    expect(() => loadServiceStack(path.join(FIXTURES, 'not-a-stack'), 'not-a-stack')).toThrow(new CliError(
      `buildStack in ${file}: must return a Stack, got "an object (Object)". Fix: return the stack it creates in the given app.`,
    ));
  });
});
