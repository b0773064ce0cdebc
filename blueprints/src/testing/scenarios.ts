import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { formatProblem, Problem } from '@fleet/contracts';
import { FleetError } from '../errors';

/** One scenario of a blueprint: a name and the options a manifest entry would give it. */
export interface Scenario {
  /** kebab-case or any one-line name; titles the tests. */
  readonly name: string;
  /** The blueprint's options (a manifest entry without `blueprint`), `files` policies included. */
  readonly options: Record<string, unknown>;
  /** The scenario file, for messages. */
  readonly file: string;
}

/** A scenario folder that cannot be used: every file's problems at once, in the fleet's format. */
export class ScenarioError extends FleetError {
  constructor(public readonly problems: readonly Problem[]) {
    super([`${problems.length} scenario problem${problems.length === 1 ? '' : 's'}:`, ...problems.map((p, i) => `  ${i + 1}. ${formatProblem(p)}`)].join('\n'));
  }
}

/**
 * The scenarios in `folder`: one `<anything>.json` per scenario, `{ "name": "...", "options": { ... } }`,
 * sorted by file name. Throws `ScenarioError` listing every unusable file.
 */
export function loadScenarios(folder: string): Scenario[] {
  let entries: string[];
  try {
    entries = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
  } catch (error) {
    throw new ScenarioError([{ subject: folder, problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, fix: 'pass the folder holding the scenario files, e.g. path.join(__dirname, "scenarios")' }]);
  }
  const problems: Problem[] = [];
  if (entries.length === 0) problems.push({ subject: folder, problem: 'holds no scenario (*.json)', fix: 'add one file per scenario: { "name": "minimal", "options": { ... } }' });
  const scenarios: Scenario[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const file = path.join(folder, entry);
    let parsed: any;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf-8'));
    } catch (error) {
      problems.push({ subject: file, problem: `is not JSON (${(error as Error).message})`, fix: 'write the scenario as JSON: { "name": "minimal", "options": { ... } }' });
      continue;
    }
    const before = problems.length;
    if (typeof parsed?.name !== 'string' || parsed.name.trim() === '') {
      problems.push({ subject: `${file}: name`, problem: 'must be a non-empty string', value: parsed?.name, fix: 'name the scenario, e.g. "name": "minimal"' });
    } else if (seen.has(parsed.name)) {
      problems.push({ subject: `${file}: name`, problem: `is also the name of ${seen.get(parsed.name)}`, value: parsed.name, fix: 'give each scenario its own name' });
    }
    if (typeof parsed?.options !== 'object' || parsed.options === null || Array.isArray(parsed.options)) {
      problems.push({ subject: `${file}: options`, problem: 'must be an object (the blueprint options of a manifest entry, without "blueprint")', value: parsed?.options, fix: 'write e.g. "options": { "name": "minimal-service", ... }' });
    }
    const extra = Object.keys(parsed ?? {}).filter((k) => k !== 'name' && k !== 'options');
    if (extra.length > 0) problems.push({ subject: `${file}: ${extra.join(', ')}`, problem: 'is not a scenario field (a scenario has "name" and "options")', value: extra, fix: 'move blueprint options under "options"' });
    if (problems.length > before) continue;
    seen.set(parsed.name, file);
    scenarios.push({ name: parsed.name, options: parsed.options, file });
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return scenarios;
}
