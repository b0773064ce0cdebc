import type { Problem } from '@fleet/contracts';
import { BLUEPRINTS_VERSION, FLEET_PACKAGES, PINNED_VERSIONS } from '../versions';

/**
 * Checks of what a blueprint (not the manifest) hands the skeleton of every service: the class
 * its `.projenrc.ts` imports and the package it imports it from. Both land in generated files
 * that run: `className` is spliced into `.projenrc.ts` as an identifier (a string there would be
 * code), the package name and version go into the service's `package.json`, where a range, a
 * path (`file:../..`), a git URL or a tarball URL would install code nobody pinned, and a name
 * of a package the skeleton pins (`projen`, `@fleet/workflows`) would silently replace its version.
 */
export interface SkeletonIdentity {
  readonly className: unknown;
  readonly blueprintPackage?: { readonly name?: unknown; readonly version?: unknown };
}

/** An identifier `.projenrc.ts` can import and instantiate: ASCII letters, digits, `_`, `$`, not starting with a digit. */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Words that cannot name a class (ECMAScript reserved words and strict-mode future reserved words). */
const RESERVED_WORDS = new Set([
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new',
  'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try',
  'typeof', 'var', 'void', 'while', 'with', 'yield',
]);

/** An npm package name as the registry accepts new ones: lowercase, optionally scoped, URL-safe (npm's validate-npm-package-name). */
export const NPM_PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** An exact semantic version (semver.org 2.0.0), no range, tag, path or URL. */
export const EXACT_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Every problem with a blueprint's class and package, each naming the option of `SingleStackProject`. */
export function skeletonIdentityProblems(options: SkeletonIdentity): Problem[] {
  const problems: Problem[] = [];
  const { className, blueprintPackage } = options;
  if (typeof className !== 'string' || !IDENTIFIER.test(className) || RESERVED_WORDS.has(className)) {
    problems.push({
      subject: 'SingleStackProject className',
      problem: 'must be the name of the exported blueprint class, an identifier (letters, digits, "_" or "$", not starting with a digit, not a reserved word); it is written into the service\'s .projenrc.ts as code',
      value: className,
      fix: 'pass the class name the blueprint package exports, e.g. className: "ScheduledJob"',
    });
  }
  if (blueprintPackage === undefined) return problems;
  const { name, version } = blueprintPackage;
  if (typeof name !== 'string' || !NPM_PACKAGE_NAME.test(name) || name.length > 214) {
    problems.push({
      subject: 'SingleStackProject blueprintPackage.name',
      problem: 'must be an npm package name (lowercase letters, digits, ".", "_", "~", "-", optionally @scope/, at most 214 characters)',
      value: name,
      fix: 'pass the "name" of the blueprint package\'s package.json, e.g. "@my-team/scheduled-job-blueprint"',
    });
  } else if (isPinnedElsewhere(name, version)) {
    problems.push({
      subject: 'SingleStackProject blueprintPackage.name',
      problem: `is a package the skeleton already pins (${name}@${pinnedVersion(name)}); the service would get ${JSON.stringify(version)} instead`,
      value: name,
      fix: 'pass the blueprint\'s own package, or leave blueprintPackage out to import from @fleet/blueprints',
    });
  }
  if (typeof version !== 'string' || !EXACT_VERSION.test(version)) {
    problems.push({
      subject: 'SingleStackProject blueprintPackage.version',
      problem: 'must be an exact version (major.minor.patch, no range, tag, path or URL): it is written into the service\'s package.json',
      value: version,
      fix: 'pass the "version" of the blueprint package\'s package.json, e.g. "0.1.0"',
    });
  }
  return problems;
}

function pinnedVersion(name: string): string | undefined {
  if ((Object.values(FLEET_PACKAGES) as string[]).includes(name)) return BLUEPRINTS_VERSION;
  return (PINNED_VERSIONS as Record<string, string>)[name];
}

/** A package the skeleton pins, given at another version (its own version is harmless). */
function isPinnedElsewhere(name: string, version: unknown): boolean {
  const pinned = pinnedVersion(name);
  return pinned !== undefined && pinned !== version;
}
