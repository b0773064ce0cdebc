import { readFileSync, rmSync } from 'fs';
import { WORKFLOW_DIAGRAM_FILE } from '@fleet/contracts';
import MarkdownIt from 'markdown-it';
import * as path from 'path';
import * as ts from 'typescript';
import { countStackResources } from '../blueprints/src/step-functions-service/resource-count';
import { STACK_CONSTRUCT_IDS } from '../blueprints/src/step-functions-service/stack-source';
import { generateFleet, generationRoot, synthesizeStacksInBackground, typeCheckProjects } from './generated-fleet';

/**
 * The generated code of manifests that used to break it: each one now generates projects that
 * type-check (with the services' own strict tsconfig) and synthesize with the real aws-cdk-lib,
 * and the text of every manifest value arrives intact where it belongs.
 */
const ESCAPE = "reports under s3://reports/*/daily */ throw new Error('a manifest value ran'); /*";
const MARKDOWN = '# Not a heading <img src=x onerror=alert(1)> | not | a cell | `code` *bold* [link](http://x) &lt; ${x}';

const SERVICES = [
  {
    name: 'reports',
    blueprint: 'step-functions-service',
    description: ESCAPE,
    functions: {
      'build-report': { description: ESCAPE, tableAccess: 'read' },
      'store-report': { description: MARKDOWN, tableAccess: 'write' },
    },
    events: [
      { source: "it's.a \"source\" `with` ${x} */", detailType: 'Report Requested */ ${x}' },
      { source: 'reports.daily', detailType: MARKDOWN, target: 'store-report' },
    ],
  },
  // No events: EventRoute was imported and unused (TS6133 with noUnusedLocals).
  { name: 'quiet', blueprint: 'step-functions-service', functions: { 'do-work': {} } },
  { name: 'central', blueprint: 'control-plane', description: ESCAPE, organizationId: 'o-a1b2c3d4e5' },
  { name: 'baseline', blueprint: 'tenant-baseline', description: MARKDOWN, centralAccountId: '123456789012' },
];

const SHAPES = [
  { name: 'shape-one', blueprint: 'step-functions-service', functions: { 'only-step': {} } },
  {
    name: 'shape-mixed',
    blueprint: 'step-functions-service',
    functions: { 'read-step': { tableAccess: 'read' }, 'write-step': { tableAccess: 'write' }, 'both-step': { tableAccess: 'read-write' } },
    events: [{ source: 'a.b', detailType: 'First Thing' }, { source: 'a.b', detailType: 'Second Thing' }],
  },
  {
    name: 'shape-routes',
    blueprint: 'step-functions-service',
    functions: { 'one-step': {}, 'two-step': {} },
    events: [
      { source: 'a.b', detailType: 'To One', target: 'one-step' },
      { source: 'a.b', detailType: 'Also To One', target: 'one-step' },
      { source: 'a.b', detailType: 'To Two', target: 'two-step' },
      { source: 'a.b', detailType: 'To Workflow' },
    ],
  },
];

const valuesRoot = generationRoot('fleet-values-');
const valuesFleet = generateFleet(valuesRoot, SERVICES);
const shapesRoot = generationRoot('fleet-shapes-');
const shapesFleet = generateFleet(shapesRoot, SHAPES);

/**
 * Both describes' stacks in one child process (aws-cdk-lib and the constructs loaded once), which
 * runs while this process type-checks. `reports` carries the manifest text into the template, so
 * it gets the build's checks (the CloudFormation validator must accept the text too); the shapes
 * test asserts names and resource counts, which the checks and bundling do not change, so they
 * synthesize as the fleet CLI does (see test/synth-stacks.ts).
 */
const synthesizedStacks = synthesizeStacksInBackground([
  { dir: path.join(valuesFleet, 'projects', 'reports'), id: 'reports' },
  ...SHAPES.map((s) => ({ dir: path.join(shapesFleet, 'projects', s.name), id: s.name, checks: false })),
]);
synthesizedStacks.catch(() => undefined);

describe('a manifest value never becomes code', () => {
  const root = valuesRoot;
  const fleet = valuesFleet;
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const project = (name: string) => path.join(fleet, 'projects', name);
  const read = (name: string, file: string) => readFileSync(path.join(project(name), file), 'utf-8');

  test('GIVEN descriptions with "*/", quotes, backticks and ${ in all three blueprints WHEN generated THEN every project type-checks, the service without events too', () => {
    expect(typeCheckProjects(SERVICES.map((s) => project(s.name)))).toEqual([]);
  }, 240_000);

  test('the stack and the owned handler keep the description as their JSDoc, closed where the generator closes it', () => {
    for (const [name, file, declaration] of [
      ['reports', 'src/stack.ts', 'ReportsStack'],
      ['central', 'src/stack.ts', 'CentralStack'],
      ['reports', 'src/functions/build-report.ts', 'handler'],
    ]) {
      const source = ts.createSourceFile(file, read(name, file), ts.ScriptTarget.ES2022, true);
      const node = findDeclaration(source, declaration);
      const doc = ts.getJSDocCommentsAndTags(node).map((d) => ts.getTextOfJSDocComment((d as ts.JSDoc).comment) ?? '').join('\n');
      // Editors render JSDoc as Markdown: `\/` and `\@` read as `/` and `@`.
      expect({ file, doc: doc.split('\n')[0].replace(/\\([/@])/g, '$1') }).toEqual({ file, doc: ESCAPE });
    }
  });

  test('GIVEN the same manifest WHEN synthesized with aws-cdk-lib THEN the Lambda descriptions and event patterns are the manifest text, exactly', async () => {
    const [reports] = await synthesizedStacks;
    expect(reports.functionDescriptions.sort()).toEqual([ESCAPE, MARKDOWN].sort());
    expect(reports.eventPatterns).toEqual(expect.arrayContaining([
      { 'source': [SERVICES[0].events![0].source], 'detail-type': [SERVICES[0].events![0].detailType] },
      { 'source': ['reports.daily'], 'detail-type': [MARKDOWN] },
    ]));
  }, 240_000);

  test('the READMEs show Markdown-looking descriptions as text: no heading, HTML, link, emphasis or extra table cell comes from a value', () => {
    const md = new MarkdownIt();
    for (const name of ['reports', 'baseline']) {
      const tokens = md.parse(read(name, 'README.md'), {});
      const inline = tokens.filter((t) => t.type === 'inline').flatMap((t) => t.children ?? []);
      expect(tokens.filter((t) => t.type === 'heading_open' && t.tag === 'h1')).toHaveLength(1);
      // The one link is the blueprint's own, to the team's diagram; none comes from a value.
      const fromValues = [...tokens, ...inline].filter((t) => /^(html_block|html_inline|link_open|em_open|strong_open|image)$/.test(t.type));
      expect(fromValues.filter((t) => !(t.type === 'link_open' && t.attrGet('href') === WORKFLOW_DIAGRAM_FILE))).toEqual([]);
      const texts = tokens.filter((t) => t.type === 'inline').map((t) => (t.children ?? []).map((c) => c.content).join(''));
      expect(texts).toContain(MARKDOWN);
    }
    // The functions table of `reports` still has two rows of five cells.
    const functionsTable = md.parse(read('reports', 'README.md'), {});
    const rows = tableRows(functionsTable, 0);
    expect(rows.map((r) => r.length)).toEqual([5, 5, 5]);
  });
});

describe('the blueprint\'s names and resource counts are the ones a real synthesis gives', () => {
  const shapes = SHAPES;
  const root = shapesRoot;
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test.each(shapes.map((s, i) => [s.name, i] as const))('%s: the validator\'s resource count (the 500 limit) is the synthesized count', async (_name, i) => {
    const synthesized = (await synthesizedStacks).slice(1);
    expect(synthesized[i].resources).toBe(countStackResources(shapes[i] as any));
  }, 240_000);

  test('the construct ids at the top of the stack are the fixed ones plus those of functions and routes', async () => {
    const synthesized = (await synthesizedStacks).slice(1);
    const fixed = synthesized.map((s) => s.childIds.filter((id) => !/(Step|StepLogGroup|Route)$/.test(id)));
    for (const ids of fixed) expect([...ids].sort()).toEqual([...STACK_CONSTRUCT_IDS].sort());
  }, 240_000);
});

function findDeclaration(source: ts.SourceFile, name: string): ts.Node {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node) => {
    if ((ts.isClassDeclaration(node) || ts.isFunctionDeclaration(node)) && node.name?.text === name) found = node;
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found) throw new Error(`no declaration ${name} in ${source.fileName}`);
  return found;
}

/** The cells per row (header included) of the `index`-th table of a token stream. */
function tableRows(tokens: readonly { type: string; content: string }[], index: number): string[][] {
  const starts = tokens.map((t, i) => (t.type === 'table_open' ? i : -1)).filter((i) => i >= 0);
  const rows: string[][] = [];
  for (let i = starts[index]; tokens[i].type !== 'table_close'; i++) {
    if (tokens[i].type === 'tr_open') rows.push([]);
    if (tokens[i].type === 'inline') rows[rows.length - 1].push(tokens[i].content);
  }
  return rows;
}
