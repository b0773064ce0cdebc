import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HandlerBundle, ServiceStack } from '../src';
import { GOODBYE_ENTRY, HELLO_ENTRY } from './fixtures/service';

function newStack(): ServiceStack {
  return new ServiceStack(new App(), 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
}

describe('HandlerBundle', () => {
  // GIVEN two handlers sharing a module
  const entries = { hello: HELLO_ENTRY, goodbye: GOODBYE_ENTRY };
  // WHEN bundled twice, in two different apps
  const first = new HandlerBundle(newStack(), 'Handlers', { entries });
  const second = new HandlerBundle(newStack(), 'Handlers', { entries });

  test('writes <name>/index.js (CommonJS, node) and a source map per handler', () => {
    // THEN
    for (const name of ['hello', 'goodbye']) {
      expect(fs.readdirSync(path.join(first.outputDir, name)).sort()).toEqual(['index.js', 'index.js.map']);
    }
    // Evaluate the CommonJS bundle as Lambda would: module.exports.handler
    const loaded = require(path.join(first.outputDir, 'hello', 'index.js'));
    return expect(loaded.handler({ name: 'acme' })).resolves.toEqual({ message: 'Hello, acme' });
  });

  test('the output folder is content-addressed and stable between bundles', () => {
    // THEN
    expect(second.outputDir).toBe(first.outputDir);
    expect(path.dirname(first.outputDir)).toBe(path.join(os.tmpdir(), 'fleet-bundles'));
    expect(first.handlerNames).toEqual(['goodbye', 'hello']);
    expect(first.sourceMap).toBe(true);
  });

  test('options change the output', () => {
    // WHEN
    const plain = new HandlerBundle(newStack(), 'Handlers', { entries, minify: false, sourceMap: false });
    // THEN
    expect(plain.outputDir).not.toBe(first.outputDir);
    expect(fs.readdirSync(path.join(plain.outputDir, 'hello'))).toEqual(['index.js']);
    expect(fs.readFileSync(path.join(plain.outputDir, 'hello', 'index.js'), 'utf8')).toContain('function greeting(verb, name)');
  });

  test('externals are left out of the bundle', () => {
    // GIVEN a handler importing a module that is not installed
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-bundle-test-'));
    const entry = path.join(dir, 'uses-sdk.ts');
    fs.writeFileSync(entry, "import { thing } from '@aws-sdk/not-installed';\nexport const handler = async () => thing;\n");
    // WHEN
    const bundle = new HandlerBundle(newStack(), 'Handlers', { entries: { sdk: entry }, externals: ['@aws-sdk/*'], minify: false });
    // THEN
    expect(fs.readFileSync(path.join(bundle.outputDir, 'sdk', 'index.js'), 'utf8')).toContain('require("@aws-sdk/not-installed")');
  });

  test('code(name) is the asset of one handler', () => {
    // WHEN
    const code = first.code('hello');
    // THEN
    expect((code as lambda.AssetCode).path).toBe(path.join(first.outputDir, 'hello'));
  });

  test('code(name) rejects an unknown name, listing the known names', () => {
    // WHEN / THEN
    expect(() => first.code('helo')).toThrow(
      'Svc/Handlers: name is not a bundled handler, got "helo". Use one of the entries: goodbye, hello.');
  });
});

describe('HandlerBundle validation', () => {
  test('lists every missing entry file in one error', () => {
    // GIVEN
    const missing = ['/nowhere/a.ts', '/nowhere/b.ts'];
    // WHEN / THEN
    expect(() => new HandlerBundle(newStack(), 'Handlers', { entries: { a: missing[0], hello: HELLO_ENTRY, b: missing[1] } })).toThrow(
      'Svc/Handlers: entries has files that do not exist, got ["/nowhere/a.ts","/nowhere/b.ts"]. Create the files or fix the paths.');
  });

  test('rejects relative paths', () => {
    expect(() => new HandlerBundle(newStack(), 'Handlers', { entries: { a: 'src/a.ts' } })).toThrow(
      'Svc/Handlers: entries has paths that are not absolute, got ["src/a.ts"]. '
      + 'Pass absolute paths, for example path.join(__dirname, \'handlers\', \'x.ts\').');
  });

  test('rejects empty entries', () => {
    expect(() => new HandlerBundle(newStack(), 'Handlers', { entries: {} })).toThrow(
      'Svc/Handlers: entries must not be empty, got {}. Give at least one handler name and the absolute path of its .ts file.');
  });

  test('rejects names that cannot be folder names', () => {
    expect(() => new HandlerBundle(newStack(), 'Handlers', { entries: { '../evil': HELLO_ENTRY } })).toThrow(
      'Svc/Handlers: entries has handler names that are not plain file names, got ["../evil"]. '
      + 'Use letters, digits, "-" and "_" only, starting with a letter or digit.');
  });

  test('reports esbuild errors with their location', () => {
    // GIVEN a handler with a syntax error and an unresolvable import
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-bundle-test-'));
    const entry = path.join(dir, 'broken.ts');
    fs.writeFileSync(entry, "import { x } from './missing';\nexport const handler = async () => x;\n");
    // WHEN / THEN
    expect(() => new HandlerBundle(newStack(), 'Handlers', { entries: { broken: entry } })).toThrow(
      `Svc/Handlers: entries failed to bundle, got [${JSON.stringify(`${entry}:1:18: Could not resolve "./missing"`)}]. `
      + 'Fix the errors esbuild reported in the handler sources (or mark the module as external with externals).');
  });
});
