import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import * as fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import * as path from 'path';
import * as ts from 'typescript';
import { Fleet, formatProblem } from '../blueprints/src';
import { countStackResources } from '../blueprints/src/step-functions-service/resource-count';
import { routeSlug } from '../blueprints/src/step-functions-service/stack-source';
import { generateFleet, generateServices, generationRoot, synthesizeStacksInBackground, typeCheckProjects } from './generated-fleet';
import type { SynthesizedStack } from './synth-stacks';

/**
 * The generation property test: manifests drawn from the validator's accepted space (tricky
 * names, descriptions with comment terminators, backticks, `${`, quotes, HTML, pipes, line
 * breaks, unicode) are validated; a rejected one must be rejected in the error style, and an
 * accepted one is generated twice, as drawn and with every free-text value replaced by a
 * neutral placeholder. Then:
 *
 * - every generated TypeScript file parses, and has the same token structure as its placeholder
 *   twin (a value that became code, or closed a comment early, changes the tokens);
 * - every README has the same Markdown structure as its twin (no heading, HTML, link or cell
 *   from a value), every JSON file the same shape;
 * - each value arrives intact: as a string literal in src/stack.ts, as text in the README, in
 *   package.json and in the sample events;
 * - a sample of the generated projects type-checks with their own strict tsconfig, and a
 *   smaller sample synthesizes with the real aws-cdk-lib, with the resource count the
 *   validator predicted.
 *
 * `npm test` runs it with a fixed seed and 200 accepted manifests; `npm run test:fuzz` with
 * FLEET_FUZZ set runs 2,000 (FLEET_FUZZ_RUNS, FLEET_FUZZ_SEED to change them).
 */
const FUZZ = ['1', 'true'].includes(process.env.FLEET_FUZZ ?? '');
const RUNS = Number(process.env.FLEET_FUZZ_RUNS ?? (FUZZ ? 2000 : 200));
const SEED = Number(process.env.FLEET_FUZZ_SEED ?? 20260108);
const TYPECHECK_SAMPLE = FUZZ ? 40 : 6;
const SYNTH_SAMPLE = FUZZ ? 10 : 3;

const TRICKY_NAMES = [
  'scan1', 'scan-1', 'bundle', 'table', 'path', 'id', 'props', 'scope', 'delete', 'eval', 'new', 'this', 'constructor',
  'service', 'jest', 'projen', 'events', 'handlers', 'workflow', 'index', 'failure-bus', 'scan', 'scan-log-group',
  'a-route', 'define-workflow', 'to-string', 'do-1', 'x1', 'ab', 'cli', 'fuzz-fleet',
];
const GOOD_PIECES = [
  '*/', '/*', '/**', '`', '${', '}', "'", '"', '\\', '<b>', '</script>', '<!--', '-->', '|', '#', '# ', '- ', '1. ', '> ',
  '@deprecated', '{@link x}', '[x](y)', '![i](y)', '&lt;', '&amp;', '&#60;', '*', '**', '_', '~~', '$', '$$', ' ', '    ',
  'é', '日本', '🚀', 'ǅ', 's3://reports/*/daily', 'x', 'scan', 'Uploaded', '%s', ':smile:', '\\u0041', '--- ', '=== ',
  'https://example.com', '<https://x>', '\u00a0', '\u200b',
];
const BAD_PIECES = ['\n', '\r', '\t', '\u2028', '\u202e', '\ud800', '\u0000', '\u001b[31m', '${Token[A.12]}'];

const goodText = fc.array(fc.constantFrom(...GOOD_PIECES), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));
const text = fc.oneof(
  { weight: 12, arbitrary: goodText },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }) },
  { weight: 1, arbitrary: fc.tuple(goodText, fc.constantFrom(...BAD_PIECES), goodText).map(([a, b, c]) => a + b + c) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
);
const name = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}$/) },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY_NAMES) },
);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

const stepFunctionsService = fc.record({
  name,
  description: optional(text),
  functions: fc.dictionary(name, fc.record({
    description: optional(text),
    tableAccess: optional(fc.constantFrom('none', 'read', 'write', 'read-write')),
    timeoutSeconds: optional(fc.integer({ min: 1, max: 900 })),
    memoryMb: optional(fc.integer({ min: 128, max: 10240 })),
  }), { minKeys: 1, maxKeys: 5 }),
}).chain((service) => fc.array(fc.record({
  source: text,
  detailType: text,
  target: optional(fc.constantFrom('workflow', ...Object.keys(service.functions))),
}), { maxLength: 3 }).map((events) => ({ ...service, blueprint: 'step-functions-service', events })));
const controlPlane = fc.record({ name, description: optional(text) }).map((s) => ({ ...s, blueprint: 'control-plane', organizationId: 'o-a1b2c3d4e5' }));
const tenantBaseline = fc.record({ name, description: optional(text) }).map((s) => ({ ...s, blueprint: 'tenant-baseline', centralAccountId: '123456789012' }));
const manifest = fc.uniqueArray(
  fc.oneof({ weight: 6, arbitrary: stepFunctionsService }, { weight: 1, arbitrary: controlPlane }, { weight: 1, arbitrary: tenantBaseline }),
  { minLength: 1, maxLength: 3, selector: (s) => s.name },
).map((services) => services.map(withoutUndefined));

type Markdown = InstanceType<typeof MarkdownIt>;

/** "subject: problem, got value. Fix: ..." (formatProblem), one line each. */
const ERROR_STYLE = /^[^\s].*: .+\. Fix: .+[.!?]$/s;

describe('generation property: every manifest the validator accepts generates code that parses, type-checks and synthesizes, with its values as data', () => {
  const root = generationRoot('fleet-property-');
  const emptyOutdir = mkdtempSync(path.join(root, 'validate-'));
  const md = new MarkdownIt();
  const kept: { fleet: string; services: any[] }[] = [];
  let accepted = 0;
  let rejected = 0;

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test(`${RUNS} accepted manifests (seed ${SEED}): same structure as their placeholder twins, parse, values intact`, () => {
    fc.assert(fc.property(manifest, (services) => {
      const problems = new Fleet({ name: 'fuzz-fleet', outdir: emptyOutdir, services: services as any, installAfterChange: false }).validate();
      if (problems.length > 0) {
        rejected++;
        for (const line of problems.map(formatProblem)) expect(line).toMatch(ERROR_STYLE);
      }
      fc.pre(problems.length === 0);
      accepted++;

      const fleet = generateFleet(root, services);
      // The fleet's root files hold no manifest text; the twin needs only the services.
      const twin = generateServices(root, services.map(placeholders));
      try {
        expectSameStructure(fleet, twin, md);
        for (const service of services) expectValuesIntact(path.join(fleet, 'projects', service.name), service, md);
      } finally {
        rmSync(twin, { recursive: true, force: true });
      }
      const keptProjects = kept.flatMap((k) => k.services);
      const needed = keptProjects.length < TYPECHECK_SAMPLE
        || keptProjects.filter((s) => s.blueprint === 'step-functions-service').length < SYNTH_SAMPLE;
      if (needed) kept.push({ fleet, services });
      else rmSync(fleet, { recursive: true, force: true });
    }), { seed: SEED, numRuns: RUNS, maxSkipsPerRun: 100 });
    expect(accepted).toBeGreaterThanOrEqual(RUNS);
    if (FUZZ) process.stdout.write(`generation property: ${accepted} accepted, ${rejected} rejected (seed ${SEED})\n`);
  }, FUZZ ? 3_600_000 : 240_000);

  let synthesized: Promise<SynthesizedStack[]> | undefined;
  const synthSample = () => kept.flatMap((k) => k.services.filter((s) => s.blueprint === 'step-functions-service').map((s) => ({ fleet: k.fleet, service: s })))
    .slice(0, SYNTH_SAMPLE);

  test(`a sample of the accepted manifests type-checks (${TYPECHECK_SAMPLE} projects, one Program)`, () => {
    // The synthesis sample runs in a child process meanwhile.
    synthesized = synthesizeStacksInBackground(synthSample().map(({ fleet, service }) => ({
      dir: path.join(fleet, 'projects', service.name), id: service.name,
    })));
    synthesized.catch(() => undefined);
    const projects = kept.flatMap((k) => k.services.map((s) => path.join(k.fleet, 'projects', s.name))).slice(0, TYPECHECK_SAMPLE);
    expect(projects.length).toBe(TYPECHECK_SAMPLE);
    // Every service the synthesis sample uses is type-checked too.
    expect(typeCheckProjects(projects)).toEqual([]);
  }, FUZZ ? 1_800_000 : 240_000);

  test(`a smaller sample synthesizes with aws-cdk-lib (${SYNTH_SAMPLE} services), with the resource count the validator predicted`, async () => {
    const sample = synthSample();
    expect(sample.length).toBe(SYNTH_SAMPLE);
    const stacks = await synthesized!;
    stacks.forEach((stack, i) => {
      const service = sample[i].service;
      expect({ service: service.name, resources: stack.resources }).toEqual({ service: service.name, resources: countStackResources(service) });
      const descriptions = Object.values<any>(service.functions).map((f) => f.description).filter((d) => d !== undefined);
      expect(stack.functionDescriptions.filter((d) => d !== undefined && d !== null).sort()).toEqual(descriptions.sort());
    });
  }, FUZZ ? 1_800_000 : 240_000);
});

/** The manifest with every free-text value replaced by a neutral one that derives the same names (route slugs). */
function placeholders(service: any): any {
  const out = { ...service };
  if (out.description !== undefined) out.description = 'placeholder';
  if (out.functions) {
    out.functions = Object.fromEntries(Object.entries<any>(out.functions).map(([n, f]) => [n, f.description === undefined ? f : { ...f, description: 'placeholder' }]));
  }
  if (out.events) out.events = out.events.map((e: any) => ({ ...e, source: 'placeholder', detailType: routeSlug(e.detailType) }));
  return out;
}

function expectSameStructure(fleet: string, twin: string, md: Markdown): void {
  const files = listFiles(path.join(fleet, 'projects'));
  expect(files).toEqual(listFiles(path.join(twin, 'projects')));
  for (const file of files) {
    const actual = readFileSync(path.join(fleet, 'projects', file), 'utf-8');
    const neutral = readFileSync(path.join(twin, 'projects', file), 'utf-8');
    if (file.endsWith('.ts')) {
      expect({ file, syntaxErrors: syntaxErrors(file, actual) }).toEqual({ file, syntaxErrors: [] });
      expect({ file, tokens: tokenKinds(actual) }).toEqual({ file, tokens: tokenKinds(neutral) });
    } else if (file.endsWith('.md')) {
      expect({ file, blocks: markdownStructure(md, actual) }).toEqual({ file, blocks: markdownStructure(md, neutral) });
    } else if (file.endsWith('.json')) {
      expect({ file, shape: jsonShape(JSON.parse(actual)) }).toEqual({ file, shape: jsonShape(JSON.parse(neutral)) });
    } else {
      expect({ file, actual }).toEqual({ file, actual: neutral });
    }
  }
}

function expectValuesIntact(project: string, service: any, md: Markdown): void {
  const read = (file: string) => readFileSync(path.join(project, file), 'utf-8');
  const readmeTexts = markdownTexts(md, read('README.md'));
  if (service.description !== undefined) {
    expect(JSON.parse(read('package.json')).description).toBe(service.description);
    expectShown(readmeTexts, service.description);
  }
  if (service.blueprint !== 'step-functions-service') return;
  const literals = stringLiterals(read('src/stack.ts'));
  for (const fn of Object.values<any>(service.functions)) {
    if (fn.description === undefined) continue;
    expect(literals).toContain(fn.description);
    expectShown(readmeTexts, fn.description);
  }
  for (const route of service.events) {
    expect(literals).toEqual(expect.arrayContaining([route.source, route.detailType]));
    expect(readmeTexts).toContain(route.source);
    expectShown(readmeTexts, route.detailType);
    const sample = JSON.parse(read(`events/${routeSlug(route.detailType)}.json`));
    expect({ source: sample.source, detailType: sample['detail-type'] }).toEqual({ source: route.source, detailType: route.detailType });
  }
}

/**
 * `value` is one of the texts a README shows. Markdown drops whitespace at the edges of a
 * paragraph or a table cell (spaces and tabs; a table cell all Unicode whitespace), which is
 * not part of what the text says.
 */
function expectShown(texts: string[], value: string): void {
  const candidates = [value, value.replace(/^[ \t]+|[ \t]+$/g, ''), value.trim()];
  expect({ value, shown: texts.some((t) => candidates.includes(t)) }).toEqual({ value, shown: true });
}

/** The parser's diagnostics of one file (syntax only: what a value that became code would break first). */
function syntaxErrors(file: string, source: string): string[] {
  const parsed = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  // `parseDiagnostics` is where the parser keeps them; the public route, a Program, type-checks too.
  const diagnostics: readonly ts.Diagnostic[] = (parsed as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Token kinds of a TypeScript file, string literals as one kind whatever their value, comments left out. */
function tokenKinds(source: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, source);
  const kinds: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    kinds.push(kind === ts.SyntaxKind.StringLiteral ? 'string' : kind === ts.SyntaxKind.Identifier ? `id:${scanner.getTokenText()}` : ts.SyntaxKind[kind]);
  }
  return kinds;
}

function stringLiterals(source: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, source);
  const values: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.StringLiteral) values.push(scanner.getTokenValue());
  }
  return values;
}

/** Block and inline token types of a Markdown document (no content): what a value could change. */
function markdownStructure(md: Markdown, source: string): string[] {
  return md.parse(source, {}).flatMap((t: any) => [
    `${t.type}:${t.tag}`,
    ...(t.children ?? []).filter((c: any) => c.type !== 'text').map((c: any) => ` ${c.type}:${c.tag}`),
  ]);
}

/** The text of every inline run (a paragraph, heading or table cell) of a Markdown document. */
function markdownTexts(md: Markdown, source: string): string[] {
  return md.parse(source, {}).filter((t: any) => t.type === 'inline').flatMap((t: any) => {
    const children: { type: string; content: string }[] = t.children ?? [];
    return [children.map((c) => c.content).join(''), ...children.filter((c) => c.type === 'code_inline').map((c) => c.content)];
  });
}

function jsonShape(value: unknown): unknown {
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return value.map(jsonShape);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonShape(v)]));
  return value;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix)).flatMap((entry) => {
    if (entry === 'node_modules') return [];
    const rel = path.posix.join(prefix, entry);
    return statSync(path.join(dir, rel)).isDirectory() ? listFiles(dir, rel) : [rel];
  }).sort();
}

function withoutUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
