import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { HandlerBundle, serviceApp, ServiceStack } from '../src';

/** A plain stack with one queue whose properties the CloudFormation schema rejects. */
function stackWithInvalidQueue(validation: boolean): { synth: () => unknown; stack: Stack } {
  const app = serviceApp({ validation, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'service-app-test-')) });
  const stack = new Stack(app, 'Bad');
  new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { DelaySeconds: 'soon' } });
  return { synth: () => app.synth(), stack };
}

describe('serviceApp: the checks run in the build, not in local runs', () => {
  test('GIVEN the build App (serviceApp()) WHEN a template breaks the CloudFormation schema THEN synthesis fails and the report names the rule', () => {
    const { synth } = stackWithInvalidQueue(true);
    let message = '';
    try {
      synth();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("ERROR DelaySeconds: 'soon' is not of type 'integer' (CloudFormation Validate)");
    expect(message).toContain("Acknowledge with 'CloudFormation-Validate::F3012'");
  }, 120_000);

  test('GIVEN a local-run App (validation: false) WHEN the same template synthesizes THEN no validator runs and nothing is printed', () => {
    const spy = jest.spyOn(console, 'error');
    try {
      const { synth } = stackWithInvalidQueue(false);
      expect(synth).not.toThrow();
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test('GIVEN a local-run App WHEN a ServiceStack is built THEN the cdk-nag packs are not registered', () => {
    const app = serviceApp({ validation: false, bundling: false });
    new ServiceStack(app, 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    expect(app._validationPlugins).toEqual([]);
    const checked = serviceApp();
    new ServiceStack(checked, 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    expect(checked._validationPlugins.map((p) => p.name).sort()).toEqual(['AwsSolutions', 'Fleet']);
  });

  test('GIVEN bundling: false WHEN a HandlerBundle is built THEN esbuild does not run (a handler that cannot bundle is not an error)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-app-bundle-'));
    const broken = path.join(dir, 'broken.ts');
    fs.writeFileSync(broken, "import { nothing } from './missing-module';\nexport const handler = nothing;\n");
    const local = new ServiceStack(serviceApp({ validation: false, bundling: false }), 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    const bundle = new HandlerBundle(local, 'Handlers', { entries: { broken } });
    expect(fs.readFileSync(path.join(bundle.outputDir, 'broken', 'index.js'), 'utf8')).toMatch(/^\/\/ Not bundled/);
    expect(bundle.entries).toEqual({ broken });
    const built = new ServiceStack(serviceApp({ validation: false }), 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    expect(() => new HandlerBundle(built, 'Handlers', { entries: { broken } })).toThrow(/failed to bundle/);
  });
});
