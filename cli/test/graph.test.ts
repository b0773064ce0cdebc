import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runGraph } from '../src/commands/graph';
import { aWorkflowService, escapeRegExp, misspelled, quotedList, REPO, sampleFleet, servicesOf } from './fixtures/sample-fleet';

function aslFile(content: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleet-graph-')), 'order.asl.json');
  writeFileSync(file, content);
  return file;
}

describe('fleet graph --definition', () => {
  test('prints the Mermaid flowchart of an ASL file', () => {
    // GIVEN
    const file = aslFile(JSON.stringify({ StartAt: 'Hello', States: { Hello: { Type: 'Pass', Next: 'Done' }, Done: { Type: 'Succeed' } } }));

    // WHEN
    const output = runGraph(undefined, { definition: file }, REPO);

    // THEN
    expect(output).toBe([
      'flowchart TD',
      '  start(("start"))',
      '  s_Hello[/"Hello"/]',
      '  s_Done(["Done"])',
      '  finish((("end")))',
      '  start --> s_Hello',
      '  s_Hello --> s_Done',
      '  s_Done --> finish',
      '  classDef succeed fill:#dff5e1,stroke:#2e7d32',
      '  classDef fail fill:#fde2e1,stroke:#c62828',
      '  classDef marker fill:#333,stroke:#333,color:#fff',
      '  class s_Done succeed',
      '  class start,finish marker',
      '',
    ].join('\n'));
  });

  test('an invalid definition lists every problem', () => {
    const file = aslFile(JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, C: { Type: 'Wait', End: true } } }));
    const fix = 'Fix: correct the definition (the same checks run when a service synthesizes).';
    expect(() => runGraph(undefined, { definition: file }, REPO)).toThrow([
      '3 problems:',
      `  1. --definition ${file}, States.A.Next: names 'B', which is not a state in the same States object. ${fix}`,
      `  2. --definition ${file}, States.C: a Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath; found none. ${fix}`,
      `  3. --definition ${file}, States.C: state 'C' is not reachable from StartAt 'A'. ${fix}`,
    ].join('\n'));
  });

  test('a file that is not JSON, or missing, is named with the fix', () => {
    const file = aslFile('{"StartAt":');
    expect(() => runGraph(undefined, { definition: file }, REPO)).toThrow(
      `--definition ${file}: is not JSON, got "Unexpected end of JSON input". Fix: pass an Amazon States Language JSON file.`,
    );
    expect(() => runGraph(undefined, { definition: '/nonexistent/x.asl.json' }, REPO)).toThrow(
      '--definition /nonexistent/x.asl.json: cannot be read, got "ENOENT". Fix: pass the path of an Amazon States Language JSON file.',
    );
  });
});

describe('fleet graph arguments', () => {
  test('needs a service or --definition, not both, and --write only with a service', () => {
    expect(() => runGraph(undefined, {}, REPO)).toThrow(
      'fleet graph: needs a service or --definition <file>. Fix: name one, e.g. npx fleet graph scan-ingest (see npx fleet graph --help).',
    );
    const { name } = aWorkflowService();
    expect(() => runGraph(name, { definition: 'a.json' }, REPO)).toThrow(
      `fleet graph: takes a service or --definition, not both, got ["${name}","--definition a.json"]. Fix: drop one of them.`,
    );
    expect(() => runGraph(undefined, { definition: 'a.json', write: true }, REPO)).toThrow(
      'fleet graph --write: saves a service\'s diagram to projects/<service>/docs/workflow.mmd and cannot be used with --definition, got "a.json". Fix: redirect the output instead: npx fleet graph --definition a.json > diagram.mmd.',
    );
  });

  test('GIVEN a project without a workflow (the control plane) WHEN it is drawn THEN the error names the services that have one', () => {
    const withWorkflow = quotedList(servicesOf('step-functions-service').map((p) => p.name));
    const [controlPlane] = sampleFleet().filter((p) => p.blueprint === 'control-plane');
    expect(() => runGraph(controlPlane.name, {}, REPO)).toThrow(
      new RegExp(`^${escapeRegExp(`Service "${controlPlane.name}": has no workflow to draw: projects/${controlPlane.name}/src/workflow.ts does not exist (only step-functions-service services have one), got "${controlPlane.name}". Fix: use one of ${withWorkflow}`)}`),
    );
  });

  test('GIVEN a misspelled service WHEN it is drawn THEN the error names the known ones', () => {
    const { name } = aWorkflowService();
    const typo = misspelled(name);
    expect(() => runGraph(typo, {}, REPO)).toThrow(new RegExp(`^Service "${escapeRegExp(typo)}" not found in .*projects\\. Fix: use one of .*"${escapeRegExp(name)}"`));
  });
});

describe('fleet graph --write given hostile paths', () => {
  /** A fleet root with one service that has a workflow, and nothing else (no stack to build). */
  function fleetWithService(): { root: string; dir: string } {
    const root = mkdtempSync(path.join(os.tmpdir(), 'fleet-graph-write-'));
    writeFileSync(path.join(root, '.projenrc.ts'), '');
    const dir = path.join(root, 'projects', 'orders');
    mkdirSync(path.join(dir, '.projen'), { recursive: true });
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, '.projen', 'files.json'), '{ "files": [] }');
    writeFileSync(path.join(dir, 'src', 'workflow.ts'), '');
    return { root, dir };
  }

  test('GIVEN a service name that is a path WHEN drawn with --write THEN it is not a service, nothing is written', () => {
    const { root } = fleetWithService();
    expect(() => runGraph('../orders', { write: true }, root)).toThrow(/^Service "\.\.\/orders" not found in .*projects\. Fix: use one of "orders"\.$/);
    expect(() => runGraph('orders/../../x', { write: true }, root)).toThrow('Service "orders/../../x" not found');
  });

  test('GIVEN docs/ of the service linked to a folder outside the repository WHEN drawn with --write THEN refused before the stack is built, nothing written there', () => {
    const { root, dir } = fleetWithService();
    const outside = mkdtempSync(path.join(os.tmpdir(), 'fleet-graph-outside-'));
    symlinkSync(outside, path.join(dir, 'docs'));
    expect(() => runGraph('orders', { write: true }, root)).toThrow(
      `fleet graph --write: Writing files has 1 problem:\n  1. ${path.join(dir, 'docs', 'workflow.mmd')}: is in a folder that leads outside the project through a symbolic link (to ${outside}). Fix: move or delete it (deleting a symbolic link leaves its target untouched), then run again; the fleet writes only regular files inside the project.`,
    );
    expect(readdirSync(outside)).toEqual([]);
  });

  test('GIVEN docs/workflow.mmd as a symbolic link to a file elsewhere WHEN drawn with --write THEN refused, the target untouched', () => {
    const { root, dir } = fleetWithService();
    const outside = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleet-graph-outside-')), 'precious.txt');
    writeFileSync(outside, 'precious');
    mkdirSync(path.join(dir, 'docs'));
    symlinkSync(outside, path.join(dir, 'docs', 'workflow.mmd'));
    expect(() => runGraph('orders', { write: true }, root)).toThrow(`${path.join(dir, 'docs', 'workflow.mmd')}: is a symbolic link; the fleet never writes through one.`);
  });
});
