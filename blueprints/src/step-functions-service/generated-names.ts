import { ManifestProblem } from '../errors';
import { collisionProblems, DerivedName, JS_RESERVED_WORDS, OBJECT_PROTOTYPE_NAMES } from '../private/name-collisions';
import { countStackResources, CLOUDFORMATION_MAX_RESOURCES, MAX_FUNCTIONS } from './resource-count';
import {
  functionConstructIds, functionNameType, functionVariable, routeConstructId, STACK_CONSTRUCT_IDS, STACK_SOURCE_IDENTIFIERS, stackClassName,
} from './stack-source';

/** A route whose source and detail type passed validation. */
export interface CheckedRoute {
  /** Its index in `events`. */
  readonly index: number;
  readonly detailType: string;
}

/**
 * Every problem with the names a service's generated code derives from its manifest: a
 * function whose variable is a reserved word or an identifier the stack already uses, two
 * functions or routes that become one identifier, construct id or file, a service whose stack
 * class is an imported name, and a stack past CloudFormation's resource limit.
 *
 * Called with the names that are already valid kebab-case and the routes with a valid detail
 * type, so each problem here is about a collision, not a format.
 */
export function generatedNameProblems(
  service: string | undefined,
  functionNames: readonly string[],
  routes: readonly CheckedRoute[],
  subject: string,
  declared: { readonly functions: object; readonly events: readonly { readonly target?: unknown }[] },
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const fnSubject = (name: string) => `${subject}.functions["${name}"] (function name)`;

  if (service !== undefined) {
    const generated = [stackClassName(service), `${stackClassName(service)}Props`, functionNameType(service)];
    const clash = generated.find((id) => STACK_SOURCE_IDENTIFIERS.includes(id));
    if (clash) {
      problems.push({
        subject: `${subject}.name`,
        problem: `becomes the class "${clash}" in src/stack.ts, a name the stack imports from @fleet/workflows`,
        value: service,
        fix: `rename the service, e.g. "${service}-service"`,
      });
    }
  }

  for (const name of functionNames) {
    const variable = functionVariable(name);
    if (OBJECT_PROTOTYPE_NAMES.includes(name)) {
      problems.push({
        subject: fnSubject(name),
        problem: 'is a name every JavaScript object already has: the workflow task\'s construct id and the lookups by function name would collide with Object.prototype',
        value: name,
        fix: `rename it, e.g. "${name}-step"`,
      });
    } else if (JS_RESERVED_WORDS.includes(variable)) {
      problems.push({
        subject: fnSubject(name),
        problem: `becomes the variable "${variable}" in src/stack.ts, a reserved word in JavaScript`,
        value: name,
        fix: `rename it, e.g. "${name}-step"`,
      });
    } else if (STACK_SOURCE_IDENTIFIERS.includes(variable)) {
      problems.push({
        subject: fnSubject(name),
        problem: `becomes the variable "${variable}" in src/stack.ts, which the stack already uses (${STACK_SOURCE_IDENTIFIERS.filter((id) => /^[a-z]/.test(id)).join(', ')})`,
        value: name,
        fix: `rename it, e.g. "${name}-step"`,
      });
    }
  }

  // Identifiers: `scan1` and `scan-1` are both the variable `scan1`.
  problems.push(...collisionProblems(
    functionNames.map((name) => ({ what: `variable "${functionVariable(name)}"`, subject: fnSubject(name), value: name, owner: `functions["${name}"]` })),
    (d) => d.what,
    (d, first) => `rename ${d.owner} or ${first.owner}: names that differ only in dashes generate the same code`,
  ));

  // Construct ids at the stack's top level, from the stack itself, functions and routes. A
  // pair of functions already reported as one variable is not reported again.
  const constructIds: DerivedName[] = [
    ...STACK_CONSTRUCT_IDS.map((id) => ({ what: `construct id "${id}"`, subject: '', value: id, owner: 'the stack' })),
    ...functionNames.flatMap((name) => functionConstructIds(name).map((id) => ({
      what: `construct id "${id}"`, subject: fnSubject(name), value: name, owner: `functions["${name}"]`,
    }))),
    // Detail types that give one construct id also give one sample file (events/<slug>.json).
    ...routes.map((r) => ({
      what: `construct id "${routeConstructId(r.detailType)}"`,
      subject: `${subject}.events[${r.index}].detailType`,
      value: r.detailType,
      owner: `events[${r.index}]`,
    })),
  ];
  const reported = new Set(problems.map((p) => p.subject));
  problems.push(...collisionProblems(constructIds, (d) => d.what, (d, first) => {
    if (d.owner.startsWith('events') && first.owner.startsWith('events')) {
      return 'give each route its own detail type: detail types that differ only in case, spaces or punctuation name the same route (and the same events/*.json sample)';
    }
    if (d.owner.startsWith('events')) return `rename ${first.owner}, or change this detail type`;
    if (first.owner === 'the stack') return `rename it, e.g. "${d.value}-step"`;
    return `rename ${d.owner} or ${first.owner}`;
  }).filter((p) => !reported.has(p.subject)));

  const resources = countStackResources(declared);
  if (resources > CLOUDFORMATION_MAX_RESOURCES) {
    problems.push({
      subject,
      problem: `would synthesize ${resources} CloudFormation resources, past the limit of ${CLOUDFORMATION_MAX_RESOURCES} per stack (${Object.keys(declared.functions).length} functions, ${declared.events.length} routes)`,
      fix: `split it into two services; without routes a service holds at most ${MAX_FUNCTIONS} functions`,
    });
  }
  return problems;
}
