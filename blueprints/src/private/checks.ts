import { KEBAB_CASE } from '@fleet/contracts';
import { closest, distance } from 'fastest-levenshtein';
import { FleetManifestError, ManifestProblem } from '../errors';

/** kebab-case: lowercase letters and digits in groups joined by single dashes, starting with a letter. */
export { KEBAB_CASE };

/** `scan-ingest` -> `ScanIngest` */
export function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** `scan-ingest` -> `scanIngest` */
export function camelCase(kebab: string): string {
  const pascal = pascalCase(kebab);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** A best guess at the kebab-case form of a bad name, used in fix sentences. */
export function suggestKebab(name: string): string {
  const guess = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return guess || 'my-name';
}

/**
 * Collects problems instead of throwing at the first one, so a manifest with five mistakes is
 * reported once with five lines.
 */
export class ProblemCollector {
  public readonly problems: ManifestProblem[] = [];

  public add(problem: ManifestProblem): void {
    this.problems.push(problem);
  }

  /** True when `value` is a plain object; reports otherwise. */
  public isObject(subject: string, value: unknown, fix: string): value is Record<string, unknown> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
    this.add({ subject, problem: 'must be an object', value, fix });
    return false;
  }

  /** Reports every key of `obj` that is not in `allowed`, suggesting the nearest allowed key. */
  public knownKeys(subject: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const near = closest(key, [...allowed]);
      const similar =
        distance(key, near) <= Math.max(2, Math.floor(key.length / 3)) ||
        near.toLowerCase().startsWith(key.toLowerCase()) ||
        key.toLowerCase().startsWith(near.toLowerCase());
      const fix =
        similar
          ? `did you mean "${near}"? The options are: ${allowed.join(', ')}`
          : `remove it; the options are: ${allowed.join(', ')}`;
      this.add({ subject: `${subject}.${key}`, problem: 'is not a known option', value: obj[key], fix });
    }
  }

  /** Reports a name that is not kebab-case or has a bad length. */
  public kebabName(subject: string, value: unknown, limits: { min: number; max: number }): value is string {
    if (typeof value !== 'string' || !KEBAB_CASE.test(value)) {
      this.add({
        subject,
        problem: 'must be kebab-case (lowercase letters and digits joined by single dashes, starting with a letter)',
        value,
        fix: `rename it, for example "${suggestKebab(String(value ?? ''))}"`,
      });
      return false;
    }
    if (value.length < limits.min || value.length > limits.max) {
      this.add({
        subject,
        problem: `must be ${limits.min}-${limits.max} characters long`,
        value,
        fix: `choose a name of ${limits.min} to ${limits.max} characters`,
      });
      return false;
    }
    return true;
  }

  /** Reports a value that is not an integer within [min, max]; `undefined` is accepted (default applies). */
  public optionalInteger(subject: string, value: unknown, min: number, max: number, unit: string): void {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.add({
        subject,
        problem: `must be a whole number of ${unit} from ${min} to ${max}`,
        value,
        fix: `set a value between ${min} and ${max}, or leave it out for the default`,
      });
    }
  }

  /**
   * Reports a value that is not a non-empty string, or not one line of printable text, or
   * longer than `maxLength`; `undefined` passes unless `required`.
   *
   * Manifest text lands in one-line places of generated files (a JSDoc line, a Markdown
   * paragraph or table cell, a Lambda description), where a line break, a control character or
   * an invisible bidirectional override would change what the file says or how it reads; a lone
   * surrogate cannot be written as UTF-8 at all. No encoding keeps those meanings, so they are
   * refused here, and everything else is encoded by `private/encode.ts`.
   */
  public text(subject: string, value: unknown, opts: { required: boolean; fix: string; maxLength?: number }): value is string {
    if (value === undefined && !opts.required) return false;
    if (typeof value !== 'string' || value.trim() === '') {
      this.add({
        subject,
        problem: value === undefined ? 'is required' : 'must be a non-empty string',
        ...(value === undefined ? {} : { value }),
        fix: opts.fix,
      });
      return false;
    }
    const unprintable = unprintableCharacter(value);
    if (unprintable !== undefined) {
      this.add({
        subject,
        problem: `must be one line of printable text, but contains ${unprintable}`,
        value,
        fix: 'write it on one line, without control or invisible formatting characters',
      });
      return false;
    }
    const token = CDK_TOKEN_MARKER.exec(value);
    if (token) {
      this.add({
        subject,
        problem: `contains ${JSON.stringify(token[0])}, which the AWS CDK reads as a reference to a value that does not exist, and synthesis fails`,
        value,
        fix: 'write the text without it',
      });
      return false;
    }
    const dynamicReference = CLOUDFORMATION_DYNAMIC_REFERENCE.exec(value);
    if (dynamicReference) {
      this.add({
        subject,
        problem: `contains ${JSON.stringify(dynamicReference[0])}, a CloudFormation dynamic reference: at deployment CloudFormation would replace it with the SSM parameter or secret it names`,
        value,
        fix: 'write the text without "{{resolve:"',
      });
      return false;
    }
    if (opts.maxLength !== undefined && value.length > opts.maxLength) {
      this.add({
        subject,
        problem: `must be at most ${opts.maxLength} characters long (${value.length} given)`,
        value,
        fix: `shorten it to ${opts.maxLength} characters`,
      });
      return false;
    }
    return true;
  }

  /** Reports a value that is not one of `choices`; `undefined` is accepted. */
  public oneOf(subject: string, value: unknown, choices: readonly string[]): void {
    if (value === undefined || choices.includes(value as string)) return;
    this.add({
      subject,
      problem: `must be one of ${choices.map((c) => `"${c}"`).join(', ')}`,
      value,
      fix: `use one of ${choices.map((c) => `"${c}"`).join(', ')}`,
    });
  }
}

/**
 * Project options the fleet has already validated (its manifest check ran `Blueprint.validate`
 * on them, with every other service's problems). Identity-keyed: only the very object a
 * blueprint's `create` passes to its constructor counts, so options written in a service's own
 * `.projenrc.ts` are always checked by the constructor.
 */
const validatedByFleet = new WeakSet<object>();

/** Marks `projectOptions` as validated by the fleet (only `Blueprint.create` calls this), so the constructor does not check them again. */
export function fleetValidated<T extends object>(projectOptions: T): T {
  validatedByFleet.add(projectOptions);
  return projectOptions;
}

/**
 * For a blueprint constructed directly (a service's own `.projenrc.ts`): checks the name and the
 * options, and throws every problem at once before the project writes anything. Does nothing
 * for options the fleet validated (`fleetValidated(projectOptions)`): they are checked once.
 */
export function assertValidBlueprintOptions(
  what: string,
  projectOptions: object,
  options: { readonly name?: unknown },
  validate: (options: unknown, subject: string) => ManifestProblem[],
): void {
  if (validatedByFleet.has(projectOptions)) return;
  const check = new ProblemCollector();
  check.kebabName('name', options.name, { min: 3, max: 40 });
  const problems = [...check.problems, ...validate(options, typeof options.name === 'string' && options.name ? options.name : what)];
  if (problems.length > 0) throw new FleetManifestError(problems, `The options of ${what} "${options.name}"`);
}

/**
 * The text forms of unresolved AWS CDK tokens (aws-cdk-lib `core/lib/private/encoding`): a
 * string token `${Token[...]}`, a list token `#{Token[...]}`, and a number token's string form.
 * A manifest string reaching a construct prop with one of these would be resolved as a token.
 */
/**
 * A CloudFormation dynamic reference (`{{resolve:ssm:...}}`, `{{resolve:secretsmanager:...}}`):
 * CloudFormation resolves it in any template string at deployment, so a description holding one
 * would copy a parameter or a secret into every tenant account. Matched loosely (case, spaces),
 * because rejecting a harmless look-alike costs less than guessing CloudFormation's parser.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
 */
const CLOUDFORMATION_DYNAMIC_REFERENCE = /\{\{\s*resolve\s*:/i;

const CDK_TOKEN_MARKER = /[$#]\{Token\[[a-zA-Z0-9:._-]+\]\}|-1\.\d{10,16}e\+289/;

/**
 * Describes the first character of `value` that cannot appear in one line of printable text:
 * a line break, a C0/C1 control character (tab included), a bidirectional control (the
 * "Trojan Source" characters, which make text display in another order than it is read by a
 * parser), or a lone UTF-16 surrogate. `undefined` when there is none.
 */
export function unprintableCharacter(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const at = `U+${code.toString(16).toUpperCase().padStart(4, '0')} at position ${i + 1}`;
    if (code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029) return `a line break (${at})`;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `a control character (${at})`;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f || code === 0x061c) {
      return `a bidirectional control character (${at})`;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `a lone surrogate (${at})`;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return `a lone surrogate (${at})`;
  }
  return undefined;
}
