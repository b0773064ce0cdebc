import * as ts from 'typescript';
import { Fleet, formatProblem } from '../src';
import { commentText, markdownCode, markdownText, tsString } from '../src/private/encode';
import { renderStackSource, STACK_SOURCE_IDENTIFIERS } from '../src/step-functions-service/stack-source';
import { tempDir } from './helpers';

function problemsOf(services: unknown[]): string[] {
  return new Fleet({ name: 'demo', outdir: tempDir(), services: services as any, installAfterChange: false }).validate().map(formatProblem);
}

const service = (extra: object) => ({ name: 'scan-ingest', blueprint: 'step-functions-service', functions: { 'validate-scan': {} }, ...extra });

describe('names that cannot collide in generated code', () => {
  test('GIVEN functions scan1 and scan-1 THEN the second is rejected: both are the variable scan1 and the construct id Scan1', () => {
    expect(problemsOf([service({ functions: { 'scan1': {}, 'scan-1': {} } })])).toEqual([
      'services["scan-ingest"].functions["scan-1"] (function name): becomes the variable "scan1", which functions["scan1"] already takes, got "scan-1". Fix: rename functions["scan-1"] or functions["scan1"]: names that differ only in dashes generate the same code.',
    ]);
  });

  test('GIVEN functions named like the stack\'s own variables, JS reserved words or Object.prototype THEN each is rejected with its reason', () => {
    expect(problemsOf([service({ functions: { bundle: {}, path: {}, id: {}, delete: {}, eval: {}, constructor: {}, table: {} } })])).toEqual([
      'services["scan-ingest"].functions["bundle"] (function name): becomes the variable "bundle" in src/stack.ts, which the stack already uses (path, defineWorkflow, scope, id, props, bundle), got "bundle". Fix: rename it, e.g. "bundle-step".',
      'services["scan-ingest"].functions["path"] (function name): becomes the variable "path" in src/stack.ts, which the stack already uses (path, defineWorkflow, scope, id, props, bundle), got "path". Fix: rename it, e.g. "path-step".',
      'services["scan-ingest"].functions["id"] (function name): becomes the variable "id" in src/stack.ts, which the stack already uses (path, defineWorkflow, scope, id, props, bundle), got "id". Fix: rename it, e.g. "id-step".',
      'services["scan-ingest"].functions["delete"] (function name): becomes the variable "delete" in src/stack.ts, a reserved word in JavaScript, got "delete". Fix: rename it, e.g. "delete-step".',
      'services["scan-ingest"].functions["eval"] (function name): becomes the variable "eval" in src/stack.ts, a reserved word in JavaScript, got "eval". Fix: rename it, e.g. "eval-step".',
      'services["scan-ingest"].functions["constructor"] (function name): is a name every JavaScript object already has: the workflow task\'s construct id and the lookups by function name would collide with Object.prototype, got "constructor". Fix: rename it, e.g. "constructor-step".',
      'services["scan-ingest"].functions["table"] (function name): becomes the construct id "Table", which the stack already takes, got "table". Fix: rename it, e.g. "table-step".',
    ]);
  });

  test('GIVEN a function whose construct id is another function\'s log group or a route\'s THEN it is rejected', () => {
    expect(problemsOf([service({
      functions: { 'scan': {}, 'scan-log-group': {}, 'scan-uploaded-route': {} },
      events: [{ source: 'scanner.device', detailType: 'Scan Uploaded' }],
    })])).toEqual([
      'services["scan-ingest"].functions["scan-log-group"] (function name): becomes the construct id "ScanLogGroup", which functions["scan"] already takes, got "scan-log-group". Fix: rename functions["scan-log-group"] or functions["scan"].',
      'services["scan-ingest"].events[0].detailType: becomes the construct id "ScanUploadedRoute", which functions["scan-uploaded-route"] already takes, got "Scan Uploaded". Fix: rename functions["scan-uploaded-route"], or change this detail type.',
    ]);
  });

  test('GIVEN two routes with one detail type, or "Scan Uploaded" next to "scan-uploaded" THEN the second is rejected (one construct id, one sample file)', () => {
    expect(problemsOf([service({
      functions: { 'validate-scan': {} },
      events: [
        { source: 'scanner.device', detailType: 'Scan Uploaded' },
        { source: 'scanner.mobile', detailType: 'Scan Uploaded' },
        { source: 'scanner.device', detailType: 'scan-uploaded', target: 'validate-scan' },
      ],
    })])).toEqual([
      'services["scan-ingest"].events[1].detailType: becomes the construct id "ScanUploadedRoute", which events[0] already takes, got "Scan Uploaded". Fix: give each route its own detail type: detail types that differ only in case, spaces or punctuation name the same route (and the same events/*.json sample).',
      'services["scan-ingest"].events[2].detailType: becomes the construct id "ScanUploadedRoute", which events[0] already takes, got "scan-uploaded". Fix: give each route its own detail type: detail types that differ only in case, spaces or punctuation name the same route (and the same events/*.json sample).',
    ]);
  });

  test('GIVEN services named like a root dependency, a workspace, the fleet, a Node built-in, Object.prototype or an imported class THEN each is rejected', () => {
    const named = (name: string) => service({ name });
    expect(problemsOf(['jest', 'projen', 'cli', 'demo', 'events', 'constructor', 'service'].map(named))).toEqual([
      'services["jest"].name: is the name of a package the fleet installs: as an npm workspace the service would replace that dependency with a link to itself, got "jest". Fix: rename the service, e.g. "jest-service".',
      'services["projen"].name: is the name of a package the fleet installs: as an npm workspace the service would replace that dependency with a link to itself, got "projen". Fix: rename the service, e.g. "projen-service".',
      'services["cli"].name: is the name of one of the fleet\'s library workspaces (contracts, rollout, simulator, cli), got "cli". Fix: rename the service, e.g. "cli-service".',
      'services["demo"].name: is the fleet\'s own name (the root package): npm workspaces need distinct package names, got "demo". Fix: rename the service, e.g. "demo-service".',
      'services["events"].name: is the name of a Node.js built-in module: require() of the service package would load the built-in instead, got "events". Fix: rename the service, e.g. "events-service".',
      'services["constructor"].name: is a name every JavaScript object already has: the stack\'s construct id would collide with Object.prototype, got "constructor". Fix: rename the service, e.g. "constructor-service".',
      'services["service"].name: becomes the class "ServiceStack" in src/stack.ts, a name the stack imports from @fleet/workflows, got "service". Fix: rename the service, e.g. "service-service".',
    ]);
  });

  test('the stack\'s own identifiers that functions may not take are every name src/stack.ts declares or imports', () => {
    const source = ts.createSourceFile('stack.ts', renderStackSource({
      name: 'scan-ingest',
      functions: { 'validate-scan': { tableAccess: 'read' }, 'store-scan': {} },
      events: [{ source: 'a.b', detailType: 'Scan Uploaded' }],
    }, '0.0.0'), ts.ScriptTarget.ES2022, true);
    const declared = new Set<string>();
    const visit = (node: ts.Node) => {
      if ((ts.isImportSpecifier(node) || ts.isNamespaceImport(node) || ts.isParameter(node) || ts.isVariableDeclaration(node)
        || ts.isClassDeclaration(node) || ts.isTypeAliasDeclaration(node)) && node.name && ts.isIdentifier(node.name)) {
        declared.add(node.name.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    const derived = ['validateScan', 'storeScan', 'ScanIngestStack', 'ScanIngestStackProps', 'ScanIngestFunctionName'];
    expect([...declared].filter((name) => !derived.includes(name)).sort()).toEqual([...STACK_SOURCE_IDENTIFIERS].sort());
  });

  test('GIVEN 100 functions THEN the service is rejected with the resource count and CloudFormation\'s limit; 99 functions fit exactly', () => {
    const functions = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`step-${i}`, {}]));
    expect(problemsOf([service({ functions: functions(100) })])).toEqual([
      'services["scan-ingest"]: would synthesize 505 CloudFormation resources, past the limit of 500 per stack (100 functions, 0 routes). Fix: split it into two services; without routes a service holds at most 99 functions.',
    ]);
    expect(problemsOf([service({ functions: functions(99) })])).toEqual([]);
    const routes = [{ source: 'a.b', detailType: 'To Workflow' }, { source: 'a.b', detailType: 'To Step', target: 'step-0' }];
    expect(problemsOf([service({ functions: functions(98), events: routes })])).toEqual([]);
    expect(problemsOf([service({ functions: functions(98), events: [...routes, { source: 'a.b', detailType: 'Again', target: 'step-1' }] })])).toEqual([
      'services["scan-ingest"]: would synthesize 502 CloudFormation resources, past the limit of 500 per stack (98 functions, 3 routes). Fix: split it into two services; without routes a service holds at most 99 functions.',
    ]);
  });

  test('every problem of a manifest is reported at once, collisions with format errors', () => {
    expect(problemsOf([service({ functions: { 'scan1': {}, 'scan-1': {}, 'Bad_Name': {} }, description: 'two\nlines' })])).toHaveLength(3);
  });
});

describe('manifest text is one printable line, without what no encoding can keep', () => {
  test('GIVEN a line break, a control character, a bidi override, a lone surrogate or a CDK token THEN each is rejected naming the character', () => {
    expect(problemsOf([service({
      description: 'two\nlines',
      functions: {
        'a-step': { description: 'bell \u0007' },
        'b-step': { description: 'looks \u202Eright' },
        'c-step': { description: 'half \uD800 pair' },
        'd-step': { description: 'a ${Token[Foo.12]} token' },
        'e-step': { description: 'x'.repeat(257) },
      },
      events: [{ source: 's'.repeat(257), detailType: 'd'.repeat(129) }],
    })])).toEqual([
      'services["scan-ingest"].description: must be one line of printable text, but contains a line break (U+000A at position 4), got "two\\nlines". Fix: write it on one line, without control or invisible formatting characters.',
      'services["scan-ingest"].functions["a-step"].description: must be one line of printable text, but contains a control character (U+0007 at position 6), got "bell \\u0007". Fix: write it on one line, without control or invisible formatting characters.',
      'services["scan-ingest"].functions["b-step"].description: must be one line of printable text, but contains a bidirectional control character (U+202E at position 7), got "looks \u202Eright". Fix: write it on one line, without control or invisible formatting characters.',
      'services["scan-ingest"].functions["c-step"].description: must be one line of printable text, but contains a lone surrogate (U+D800 at position 6), got "half \\ud800 pair". Fix: write it on one line, without control or invisible formatting characters.',
      'services["scan-ingest"].functions["d-step"].description: contains "${Token[Foo.12]}", which the AWS CDK reads as a reference to a value that does not exist, and synthesis fails, got "a ${Token[Foo.12]} token". Fix: write the text without it.',
      `services["scan-ingest"].functions["e-step"].description: must be at most 256 characters long (257 given), got "${'x'.repeat(116)}.... Fix: shorten it to 256 characters.`,
      `services["scan-ingest"].events[0].source: must be at most 256 characters long (257 given), got "${'s'.repeat(116)}.... Fix: shorten it to 256 characters.`,
      `services["scan-ingest"].events[0].detailType: must be at most 128 characters long (129 given), got "${'d'.repeat(116)}.... Fix: shorten it to 128 characters.`,
    ]);
  });

  test('a manifest value never becomes a CloudFormation dynamic reference: {{resolve:...}} in a description or an event is rejected', () => {
    expect(problemsOf([service({
      functions: { 'validate-scan': { description: '{{resolve:secretsmanager:prod/db:SecretString:password}}' } },
      events: [{ source: '{{ RESOLVE :ssm:/tenant/source}}', detailType: 'Backdoor' }],
    })])).toEqual([
      'services["scan-ingest"].functions["validate-scan"].description: contains "{{resolve:", a CloudFormation dynamic reference: at deployment CloudFormation would replace it with the SSM parameter or secret it names, got "{{resolve:secretsmanager:prod/db:SecretString:password}}". Fix: write the text without "{{resolve:".',
      'services["scan-ingest"].events[0].source: contains "{{ RESOLVE :", a CloudFormation dynamic reference: at deployment CloudFormation would replace it with the SSM parameter or secret it names, got "{{ RESOLVE :ssm:/tenant/source}}". Fix: write the text without "{{resolve:".',
    ]);
  });

  test('a description such as "reports under s3://reports/*/daily" is accepted', () => {
    expect(problemsOf([service({ description: 'reports under s3://reports/*/daily', functions: { 'validate-scan': { description: 'Keeps */ and `${x}` as text.' } } })])).toEqual([]);
  });
});

describe('a manifest value never becomes code: the encoders', () => {
  test('tsString gives a literal whose value is the input, for quotes, backslashes, line terminators and lone surrogates', () => {
    for (const value of ["it's", 'say "hi"', 'both \' and "', 'back\\slash', 'a\nb\r\u2028\u2029', 'lone \uD800', '${x} `t`', '\u0000\u007f']) {
      // eslint-disable-next-line no-eval
      expect((0, eval)(tsString(value))).toBe(value);
    }
    expect(tsString("the tenant's devices")).toBe('"the tenant\'s devices"');
    expect(tsString('plain')).toBe("'plain'");
  });

  test('commentText cannot close a comment, start a line or a JSDoc tag', () => {
    expect(commentText('a */ b\n@deprecated {@link x}')).toBe('a *\\/ b \\@deprecated {\\@link x}');
  });

  test('markdownText escapes what would be markup; markdownCode fences around backticks and escapes pipes in tables', () => {
    expect(markdownText('# Title <b>x</b> | *y* [z](u) &lt; $m$ ~~s~~')).toBe('\\# Title \\<b\\>x\\</b\\> \\| \\*y\\* \\[z\\](u) &amp;lt; \\$m\\$ \\~\\~s\\~\\~');
    expect(markdownText('1. not a list')).toBe('1\\. not a list');
    expect(markdownText('- not a list')).toBe('\\- not a list');
    expect(markdownText('Drops scans already stored (scanners resend on flaky Wi-Fi).')).toBe('Drops scans already stored (scanners resend on flaky Wi-Fi).');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`a')).toBe('`` `a ``');
    expect(markdownCode('a|b', 'table')).toBe('`a\\|b`');
  });
});
