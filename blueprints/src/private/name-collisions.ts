import { builtinModules } from 'module';
import { ManifestProblem } from '../errors';
import { PINNED_VERSIONS } from '../versions';

/**
 * Words that cannot name a variable in generated code (TypeScript modules are strict-mode
 * JavaScript: ECMA-262 reserved words, strict-mode reserved words, `await` in modules), and the
 * global names a generated variable must not shadow (`undefined`, `NaN`, `Infinity`).
 */
export const JS_RESERVED_WORDS: readonly string[] = [
  'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'enum', 'eval', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in',
  'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static',
  'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'undefined', 'NaN', 'Infinity',
];

/**
 * Names every JavaScript object already has (`constructor`, `toString`, ...). The `constructs`
 * library keeps a scope's children in a plain object, so a construct id `constructor` is
 * "already a Construct" before it is created; generated code looks up functions by name in
 * plain objects too.
 */
export const OBJECT_PROTOTYPE_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype);

/** One name the generator derives from a manifest value (an identifier, a construct id, a file). */
export interface DerivedName {
  /** What is derived, for the message, e.g. `identifier "scan1"` or `construct id "Scan1"`. */
  readonly what: string;
  /** Where the manifest value is, e.g. `services["a"].functions["scan-1"] (function name)`. */
  readonly subject: string;
  /** The manifest value it comes from. */
  readonly value: string;
  /** How the message refers to the owner of the name, e.g. `functions["scan-1"]`. */
  readonly owner: string;
}

/**
 * One problem for each derived name that another one already took (first come keeps it), so a
 * pair such as `scan1` and `scan-1` is reported once, on the second, naming the first.
 * Names equal in `key` collide; `fix` says how to separate the pair.
 */
export function collisionProblems(derived: readonly DerivedName[], key: (d: DerivedName) => string, fix: (d: DerivedName, first: DerivedName) => string): ManifestProblem[] {
  const taken = new Map<string, DerivedName>();
  const problems: ManifestProblem[] = [];
  const reported = new Set<string>();
  for (const d of derived) {
    const k = key(d);
    const first = taken.get(k);
    if (first === undefined) {
      taken.set(k, d);
    } else if (first.owner !== d.owner && !reported.has(`${d.subject}|${first.owner}`)) {
      reported.add(`${d.subject}|${first.owner}`);
      problems.push({
        subject: d.subject,
        problem: `becomes the ${d.what}, which ${first.owner} already ${first.what === d.what ? 'takes' : `takes as its ${first.what}`}`,
        value: d.value,
        fix: fix(d, first),
      });
    }
  }
  return problems;
}

/**
 * The packages the fleet installs at its root: the root's and the library packages' own
 * dependencies (every one is pinned in `versions.ts`). A service is an npm workspace whose
 * package name is the service name; a workspace named like a dependency replaces that
 * dependency with a link to the service (a service named `jest` breaks every test run).
 */
export function installedPackageNames(): string[] {
  return Object.keys(PINNED_VERSIONS).filter((name) => !name.startsWith('@')).sort();
}

export interface ServiceNameContext {
  /** The fleet's own package name (the root package.json). */
  readonly fleetName: unknown;
  /** Folders of the fleet's library workspaces (`blueprints`, `workflows`, `cli`). */
  readonly workspaceFolders: readonly string[];
}

/**
 * Problems with a (kebab-case) service name as an npm package, a workspace and a construct id:
 * the fleet's own name, a library workspace, a package the fleet installs, a Node.js built-in
 * module, or a name every JavaScript object has.
 */
export function serviceNameProblems(name: string, subject: string, context: ServiceNameContext): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const rename = `rename the service, e.g. "${name}-service"`;
  if (name === context.fleetName) {
    problems.push({ subject, problem: 'is the fleet\'s own name (the root package): npm workspaces need distinct package names', value: name, fix: rename });
  }
  if (context.workspaceFolders.includes(name)) {
    problems.push({ subject, problem: `is the name of one of the fleet's library workspaces (${context.workspaceFolders.join(', ')})`, value: name, fix: rename });
  }
  if (installedPackageNames().includes(name)) {
    problems.push({
      subject,
      problem: 'is the name of a package the fleet installs: as an npm workspace the service would replace that dependency with a link to itself',
      value: name,
      fix: rename,
    });
  }
  if (builtinModules.includes(name)) {
    problems.push({ subject, problem: 'is the name of a Node.js built-in module: require() of the service package would load the built-in instead', value: name, fix: rename });
  }
  if (OBJECT_PROTOTYPE_NAMES.includes(name)) {
    problems.push({ subject, problem: 'is a name every JavaScript object already has: the stack\'s construct id would collide with Object.prototype', value: name, fix: rename });
  }
  return problems;
}
