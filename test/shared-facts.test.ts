import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { IDLE_COST_TYPES } from '@fleet/contracts';
import { REPO } from './support';

/**
 * Every fact the packages share is defined once, in @fleet/contracts (contracts/src). This looks
 * for second definitions: the literal (or pattern) of each fact written out in a source file of
 * blueprints/, workflows/ and cli/, or in the root tests. Comment lines are prose and not searched.
 * Not searched: the packages' own tests (fixtures: they assert the exact values users rely on, so
 * a changed contract fails them) and the generated projects/ (rendered from the contract).
 */
const SEARCHED = ['blueprints/src', 'workflows/src', 'cli/src', 'test'];

/** Files that may hold a literal, with the reason (fixtures that assert the rendered value). */
const ALLOWED: Record<string, string> = {
  'test/shared-facts.test.ts': 'this test',
};

const IDLE_TYPES = Object.keys(IDLE_COST_TYPES).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

const FACTS: Array<{ fact: string; pattern: RegExp; allow?: Record<string, string> }> = [
  { fact: 'the Deployment type', pattern: /type Deployment\s*=|(['"`])(every-tenant-account|central-account)\1/ },
  { fact: 'the workflow diagram file name', pattern: /(['"`])docs\/workflow\.mmd\1/ },
  { fact: 'the Workflow Failed detail type', pattern: /(['"`])Workflow Failed\1/ },
  { fact: 'the recovery role name', pattern: /(['"`])FleetRecoveryRole\1/ },
  { fact: 'the kebab-case pattern', pattern: /\[a-z\]\[a-z0-9\]\*\(-\[a-z0-9\]\+\)\*/ },
  { fact: 'the function defaults', pattern: /(timeout\w*|memory\w*)\s*\?\?\s*(10|256)\b|Duration\.seconds\(10\)/i },
  { fact: 'the CfnTemplate type', pattern: /interface Cfn(Template|Resource)\b/ },
  { fact: 'the tenant dead-letter suffix', pattern: /(['"`])-tenant-dead-letters\1/ },
  { fact: 'the failure message field names', pattern: /(['"`])fleetFailureMessage\1/ },
  // A list of idle-cost types: two of them next to each other in an array or object literal.
  {
    fact: 'the list of idle-cost resource types',
    pattern: new RegExp(`(['"])(${IDLE_TYPES})\\1\\s*(:[^,]*)?,\\s*(['"])(${IDLE_TYPES})\\4`),
    allow: {
      'cli/src/cost/classic.ts': 'the resource types that consume events (Lambda, its aliases and versions, state machines), not a cost list',
      'blueprints/src/tenant-baseline/sources.ts': 'a fixture of the generated baseline test: types the baseline must not create, free ones among them',
    },
  },
];

function sources(dir: string): string[] {
  return readdirSync(path.join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(REPO, path.join(e.parentPath, e.name)))
    .filter((file) => !file.includes(`${path.sep}lib${path.sep}`) && !file.includes('node_modules'));
}

function isComment(line: string): boolean {
  const t = line.trim();
  return t.startsWith('*') || t.startsWith('//') || t.startsWith('/*');
}

describe('shared facts', () => {
  const files = [...new Set(SEARCHED.flatMap(sources))].filter((file) => !ALLOWED[file]);

  test.each(FACTS)('GIVEN the sources WHEN looking for $fact THEN only @fleet/contracts defines it', ({ pattern, allow }) => {
    const found: string[] = [];
    for (const file of files.filter((f) => !allow?.[f])) {
      readFileSync(path.join(REPO, file), 'utf-8').split('\n').forEach((line, i) => {
        if (!isComment(line) && pattern.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });

  test('GIVEN @fleet/contracts WHEN reading its sources THEN it imports nothing (any package and the CLI start-up may load it)', () => {
    const imports = sources('contracts/src').flatMap((file) => readFileSync(path.join(REPO, file), 'utf-8')
      .split('\n').filter((line) => /^\s*import\s|require\(/.test(line)).map((line) => `${file}: ${line.trim()}`));
    expect(imports).toEqual([]);
  });
});
