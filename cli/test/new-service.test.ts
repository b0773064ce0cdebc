import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { CliError } from '../src';
import { DEFAULT_SERVICE_BLUEPRINT, newService, serviceEntry } from '../src/commands/new';
import { addServiceEntry, declaredServiceNames, tsStringLiteral } from '../src/scaffold/manifest-entry';

const FLEET_MANIFEST = readFileSync(path.resolve(__dirname, '..', '..', '.projenrc.ts'), 'utf-8');

/** Evaluates a TypeScript expression that is pure data (what the manifest entry must be). */
function evaluate(expression: string): unknown {
  const js = ts.transpileModule(`module.exports = (${expression});`, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const mod = { exports: undefined as unknown };
  new Function('module', js)(mod);
  return mod.exports;
}

/** The services array of a manifest, evaluated, by pulling out its source text. */
function servicesOf(manifest: string): Array<Record<string, unknown>> {
  const start = manifest.indexOf('services: [') + 'services: '.length;
  const source = ts.createSourceFile('m.ts', manifest, ts.ScriptTarget.Latest, true);
  let text = '';
  const visit = (node: ts.Node): void => {
    if (ts.isArrayLiteralExpression(node) && node.getStart(source) === start) text = node.getText(source);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return evaluate(text) as Array<Record<string, unknown>>;
}

const LABEL_PRINTING = serviceEntry('label-printing', {
  blueprint: 'step-functions-service',
  description: 'Prints shipping labels for accepted scans.',
  function: ['render-label', 'store-label'],
  event: ['scanner.device:Label Requested'],
});

describe('fleet new service: the manifest edit', () => {
  test('GIVEN the fleet manifest WHEN a service is added THEN every other byte of the file is kept and the entry is appended to services', () => {
    const after = addServiceEntry(FLEET_MANIFEST, LABEL_PRINTING);
    const services = servicesOf(after);
    expect(services.map((s) => s.name)).toEqual([...declaredServiceNames(FLEET_MANIFEST), 'label-printing']);
    expect(services[services.length - 1]).toEqual({
      name: 'label-printing',
      blueprint: 'step-functions-service',
      description: 'Prints shipping labels for accepted scans.',
      functions: { 'render-label': {}, 'store-label': {} },
      events: [{ source: 'scanner.device', detailType: 'Label Requested' }],
    });
    // A pure insertion: removing the inserted text gives back the original file, comments and all.
    const prefixLength = [...FLEET_MANIFEST].findIndex((ch, i) => after[i] !== ch);
    const inserted = after.length - FLEET_MANIFEST.length;
    expect(after.slice(0, prefixLength) + after.slice(prefixLength + inserted)).toBe(FLEET_MANIFEST);
  });

  test('GIVEN the entry WHEN it is written THEN it uses the file\'s indentation and quote style', () => {
    const after = addServiceEntry(FLEET_MANIFEST, LABEL_PRINTING);
    expect(after).toContain([
      '    {',
      "      name: 'label-printing',",
      "      blueprint: 'step-functions-service',",
      "      description: 'Prints shipping labels for accepted scans.',",
      "      functions: { 'render-label': {}, 'store-label': {} },",
      "      events: [{ source: 'scanner.device', detailType: 'Label Requested' }],",
      '    },',
      '  ],',
    ].join('\n'));
  });

  test.each([
    ["a quote and a backslash", "it's a \\ back'slash"],
    ['a template placeholder', '${process.exit(1)}'],
    ['a comment terminator and a line break', '*/ process.exit(1) /*\nnext line'],
    ['line and paragraph separators', 'a\u2028b\u2029c'],
    ['a lone surrogate', 'x\ud800y'],
  ])('GIVEN a description with %s WHEN it is written THEN it is a string literal holding exactly that text (never code)', (_, text) => {
    const literal = tsStringLiteral(text);
    expect(evaluate(literal)).toBe(text);
    const after = addServiceEntry(FLEET_MANIFEST, { name: 'hostile-text', blueprint: 'step-functions-service', description: text });
    expect(servicesOf(after).pop()!.description).toBe(text);
    // One statement more, no other: the text did not break out of its literal.
    const statements = ts.createSourceFile('m.ts', after, ts.ScriptTarget.Latest, true).statements.length;
    expect(statements).toBe(ts.createSourceFile('m.ts', FLEET_MANIFEST, ts.ScriptTarget.Latest, true).statements.length);
  });

  test('GIVEN services without a trailing comma or empty WHEN a service is added THEN the result is still valid and keeps that style', () => {
    const noTrailing = "new Fleet({\n  name: 'f',\n  services: [\n    { name: 'one', blueprint: 'x' } // the first\n  ],\n}).synth();\n";
    const after = addServiceEntry(noTrailing, { name: 'two', blueprint: 'x' });
    expect(after).toBe("new Fleet({\n  name: 'f',\n  services: [\n    { name: 'one', blueprint: 'x' }, // the first\n    {\n      name: 'two',\n      blueprint: 'x',\n    }\n  ],\n}).synth();\n");
    const empty = "new Fleet({\n  name: 'f',\n  services: [],\n}).synth();\n";
    expect(addServiceEntry(empty, { name: 'two', blueprint: 'x' })).toBe("new Fleet({\n  name: 'f',\n  services: [\n    {\n      name: 'two',\n      blueprint: 'x',\n    },\n  ],\n}).synth();\n");
  });

  test('GIVEN a manifest whose services are not an array literal WHEN a service is added THEN it says so and how to add it by hand', () => {
    expect(() => addServiceEntry("const services = load();\nnew Fleet({ name: 'f', services }).synth();\n", LABEL_PRINTING)).toThrow(
      new CliError('.projenrc.ts: no "services: [...]" array in a "new Fleet({...})" call was found to add the service to. Fix: add the entry to the services array by hand (README: "Adding a service"), or write the services as an array literal inside new Fleet({...}).'),
    );
  });
});

describe('fleet new service: the options', () => {
  test('GIVEN no --function WHEN the entry is made THEN the service gets one function named after it', () => {
    expect(serviceEntry('label-printing', { blueprint: 'step-functions-service' })).toEqual({
      name: 'label-printing', blueprint: 'step-functions-service', functions: { 'handle-label-printing': {} },
    });
  });

  test('GIVEN several bad options WHEN the entry is made THEN every problem is reported at once, with its value and fix', () => {
    expect(() => serviceEntry('Label_Printing', { blueprint: 'step-functions-service', function: ['a-fn', 'a-fn'], event: ['no-colon', ':x'] })).toThrow(
      new CliError([
        '4 problems:',
        '  1. service name: must be kebab-case, 3-40 characters (lowercase letters, digits, single hyphens), got "Label_Printing". Fix: e.g. "label-printing".',
        '  2. --function: is given twice, got "a-fn". Fix: name each function once.',
        '  3. --event: must be <source>:<detail-type>, got "no-colon". Fix: e.g. --event "scanner.device:Label Requested".',
        '  4. --event: must be <source>:<detail-type>, got ":x". Fix: e.g. --event "scanner.device:Label Requested".',
      ].join('\n')),
    );
    expect(() => serviceEntry('billing-sync', { blueprint: 'control-plane', function: ['x'] })).toThrow(
      '--function/--event: only the step-functions-service blueprint takes them, got "--blueprint control-plane". Fix: leave them out and write the blueprint\'s options into the entry in .projenrc.ts.',
    );
  });
});

describe('fleet new service: hostile names', () => {
  test('GIVEN functions named after Object.prototype members or __proto__ WHEN the entry is made and written THEN each stays a key of the entry (none is "given twice", none vanishes into the prototype), for the manifest check to judge', () => {
    const entry = serviceEntry('label-printing', { blueprint: DEFAULT_SERVICE_BLUEPRINT, function: ['toString', 'constructor', '__proto__'] });
    expect(Object.keys(entry.functions as object)).toEqual(['toString', 'constructor', '__proto__']);
    const after = addServiceEntry("new Fleet({ name: 'f', services: [] }).synth();\n", entry);
    expect(after).toContain("functions: { toString: {}, constructor: {}, ['__proto__']: {} },");
    // Evaluated as JavaScript, the written entry still holds the three functions as its own keys.
    const functions = new Function(`return (${/functions: (\{.*\}),/.exec(after)![1]});`)();
    expect(Object.keys(functions)).toEqual(['toString', 'constructor', '__proto__']);
  });
});

describe('fleet new service when generation is rejected', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'fleet-new-test-'));
    mkdirSync(path.join(root, 'projects'));
    writeFileSync(path.join(root, '.projenrc.ts'), FLEET_MANIFEST);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  // Stands in for `npx projen`: rejects the manifest before writing anything, optionally after the
  // team saved its own edit of .projenrc.ts while it ran.
  const rejectingProjen = (teamEdit: boolean) => (dir: string) => {
    if (teamEdit) writeFileSync(path.join(dir, '.projenrc.ts'), `${readFileSync(path.join(dir, '.projenrc.ts'), 'utf-8')}// the team's edit\n`);
    return { status: 1 };
  };

  test('GIVEN no other edit WHEN projen rejects the manifest THEN .projenrc.ts is back byte for byte', () => {
    expect(() => newService('label-printing', { blueprint: DEFAULT_SERVICE_BLUEPRINT, generate: true }, root, rejectingProjen(false))).toThrow('.projenrc.ts is back as it was and nothing was written');
    expect(readFileSync(path.join(root, '.projenrc.ts'), 'utf-8')).toBe(FLEET_MANIFEST);
  });

  test('GIVEN the team edits .projenrc.ts while projen runs WHEN projen rejects the manifest THEN the team\'s edit is kept and the error says the entry must be removed by hand', () => {
    expect(() => newService('label-printing', { blueprint: DEFAULT_SERVICE_BLUEPRINT, generate: true }, root, rejectingProjen(true))).toThrow(new CliError(
      'service "label-printing": npx projen rejected the manifest (the problems are printed above), and .projenrc.ts changed while it ran, so it was not put back (that would lose the edit). Fix: remove the label-printing entry from .projenrc.ts by hand, correct the options and run the command again.',
    ));
    const manifest = readFileSync(path.join(root, '.projenrc.ts'), 'utf-8');
    expect(manifest.endsWith("// the team's edit\n")).toBe(true);
    expect(declaredServiceNames(manifest)).toContain('label-printing');
  });
});
