/**
 * Conformance suite of the event pattern language: every case in conformance/*.json is an example
 * from AWS's EventBridge User Guide (the page in the file's `source`, or the case's own `source`),
 * matched by the local implementation. `invalid` cases are patterns EventBridge refuses; they
 * assert the exact message.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { compileEventPattern, EventPatternError } from '../../src/event-patterns';

interface CaseFile {
  kind: string;
  source: string;
  cases: { name: string; source?: string; pattern: unknown; event: unknown; matches: boolean }[];
  invalid?: { name: string; pattern: unknown; error: string }[];
}

const dir = join(__dirname, 'conformance');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('GIVEN the conformance folder THEN it has one file per pattern kind, each citing an AWS page', () => {
  const kinds = files.map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as CaseFile));
  expect(kinds.map((k) => k.kind).sort()).toEqual([
    'anything-but', 'arrays', 'cidr', 'complex', 'equals-ignore-case', 'exact-values', 'exists', 'numeric', 'or', 'prefix', 'suffix', 'wildcard',
  ]);
  for (const k of kinds) expect(k.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/eventbridge\//);
});

describe.each(files)('%s', (file) => {
  const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CaseFile;

  test.each(data.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(compileEventPattern(c.pattern).matches(c.event)).toBe(c.matches);
  });

  if (data.invalid?.length) {
    test.each(data.invalid.map((c) => [c.name, c] as const))('refused: %s', (_name, c) => {
      let error: unknown;
      try {
        compileEventPattern(c.pattern);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EventPatternError);
      expect((error as Error).message).toBe(c.error);
    });
  }
});
