/**
 * Adds a service entry to the fleet manifest (`.projenrc.ts`) as a text insertion: the file is
 * parsed with the TypeScript compiler to find the `services` array of the `new Fleet({...})`
 * call, and the new entry is inserted after its last element with the file's own indentation.
 * Every other byte of the file (comments, formatting, order) stays as the team wrote it.
 *
 * Every value is written as a string literal through `tsStringLiteral`: a description is data in
 * the manifest, never code, whatever characters it holds.
 */
import * as ts from 'typescript';
import { CliError } from '../errors';

/** A value of a manifest entry: strings, numbers, booleans, arrays and plain objects. */
export type EntryValue = string | number | boolean | readonly EntryValue[] | { readonly [key: string]: EntryValue };

/** `text` as a single-quoted TypeScript string literal that evaluates to exactly `text`. */
export function tsStringLiteral(text: string): string {
  let out = "'";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029 || (code >= 0xd800 && code <= 0xdfff)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}'`;
}

/**
 * An object key: bare when it is an identifier, quoted otherwise (`'render-label'`). `__proto__`
 * is computed (`['__proto__']`): written bare or quoted in an object literal it sets the object's
 * prototype instead of adding a key, and the entry would vanish from the manifest unseen.
 */
function propertyKey(key: string): string {
  if (key === '__proto__') return `[${tsStringLiteral(key)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : tsStringLiteral(key);
}

/**
 * Renders `value` as TypeScript source: the entry itself one property per line, values inside it
 * on one line when they fit in 100 columns (the manifest's own style), one property per line otherwise.
 */
export function renderValue(value: EntryValue, indent: string, unit: string, multiline = false): string {
  if (typeof value === 'string') return tsStringLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`renderValue: ${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = (value as readonly EntryValue[]).map((v) => renderValue(v, indent, unit));
    return `[${items.join(', ')}]`;
  }
  const entries = Object.entries(value as Record<string, EntryValue>);
  if (entries.length === 0) return '{}';
  const inline = `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${renderValue(v, indent, unit)}`).join(', ')} }`;
  if (!multiline && inline.length + indent.length <= 100) return inline;
  const inner = indent + unit;
  return `{\n${entries.map(([k, v]) => `${inner}${propertyKey(k)}: ${renderValue(v, inner, unit)},`).join('\n')}\n${indent}}`;
}

/** `<key>: [...]` (`services`, `retired`) of a Fleet options literal, also inside a spread object literal (`...{ services }`). */
function arrayProperty(options: ts.ObjectLiteralExpression, key: 'services' | 'retired'): ts.ArrayLiteralExpression | undefined {
  for (const property of options.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === key && ts.isArrayLiteralExpression(property.initializer)) {
      return property.initializer;
    }
    if (ts.isSpreadAssignment(property) && ts.isObjectLiteralExpression(property.expression)) {
      const inner = arrayProperty(property.expression, key);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The services array of `new Fleet({ services: [...] })` in a manifest's source. */
function findServicesArray(source: ts.SourceFile): ts.ArrayLiteralExpression | undefined {
  return findFleetArray(source, 'services');
}

/** The `services` or `retired` array literal of `new Fleet({ ... })` in a manifest's source. */
function findFleetArray(source: ts.SourceFile, key: 'services' | 'retired'): ts.ArrayLiteralExpression | undefined {
  let found: ts.ArrayLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Fleet') {
      const options = node.arguments?.[0];
      if (options && ts.isObjectLiteralExpression(options)) found = arrayProperty(options, key);
      if (found) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The names of the services the manifest declares, read from its `name: '...'` properties. */
export function declaredServiceNames(manifestSource: string): string[] {
  const source = ts.createSourceFile('.projenrc.ts', manifestSource, ts.ScriptTarget.Latest, true);
  const services = findServicesArray(source);
  if (!services) return [];
  const names: string[] = [];
  for (const element of services.elements) {
    if (!ts.isObjectLiteralExpression(element)) continue;
    for (const property of element.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'name' && ts.isStringLiteralLike(property.initializer)) {
        names.push(property.initializer.text);
      }
    }
  }
  return names;
}

/** The names in the manifest's `retired` array (string literals only), in order. */
export function declaredRetiredNames(manifestSource: string): string[] {
  const source = ts.createSourceFile('.projenrc.ts', manifestSource, ts.ScriptTarget.Latest, true);
  const retired = findFleetArray(source, 'retired');
  return retired ? retired.elements.filter(ts.isStringLiteralLike).map((element) => element.text) : [];
}

/** The column (as whitespace) a node starts at on its line. */
function lineIndent(text: string, position: number): string {
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * `manifestSource` with `entry` appended to its `services` array. Throws a CliError (with the fix)
 * when the manifest has no `new Fleet({ services: [...] })` array literal to add to.
 */
export function addServiceEntry(manifestSource: string, entry: Record<string, EntryValue>, manifestPath = '.projenrc.ts'): string {
  const source = ts.createSourceFile(manifestPath, manifestSource, ts.ScriptTarget.Latest, true);
  const services = findServicesArray(source);
  if (!services) {
    throw new CliError({
      subject: manifestPath,
      problem: 'no "services: [...]" array in a "new Fleet({...})" call was found to add the service to',
      fix: 'add the entry to the services array by hand (README: "Adding a service"), or write the services as an array literal inside new Fleet({...})',
    });
  }
  const text = manifestSource;
  const elements = services.elements;
  const arrayIndent = lineIndent(text, services.getStart(source));
  let elementIndent: string;
  let unit: string;
  if (elements.length > 0) {
    elementIndent = lineIndent(text, elements[0].getStart(source));
    unit = elementIndent.startsWith(arrayIndent) && elementIndent.length > arrayIndent.length ? elementIndent.slice(arrayIndent.length) : '  ';
    if (elementIndent === arrayIndent) elementIndent = arrayIndent + unit;
  } else {
    unit = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
    elementIndent = arrayIndent + unit;
  }
  const rendered = `${elementIndent}${renderValue(entry, elementIndent, unit, true)},`;

  if (elements.length === 0) {
    // `services: []` (or with only comments inside): open it up.
    const open = services.getStart(source) + 1;
    const close = services.getEnd() - 1;
    const inside = text.slice(open, close);
    const kept = inside.trim() === '' ? '' : inside.replace(/\s+$/, '');
    return `${text.slice(0, open)}${kept}\n${rendered}\n${arrayIndent}${text.slice(close)}`;
  }
  const last = elements[elements.length - 1];
  let insertAt = last.getEnd();
  const hasTrailingComma = services.elements.hasTrailingComma;
  if (hasTrailingComma) insertAt = text.indexOf(',', insertAt) + 1;
  const comma = hasTrailingComma ? '' : ',';
  // Keep a comment that ends the last element's line with that element.
  const lineEnd = text.indexOf('\n', insertAt);
  const restOfLine = lineEnd === -1 ? '' : text.slice(insertAt, lineEnd);
  if (/^\s*\/\/.*$/.test(restOfLine) && lineEnd < services.getEnd()) insertAt = lineEnd;
  const entryText = hasTrailingComma ? rendered : rendered.replace(/,$/, '');
  return `${text.slice(0, last.getEnd())}${comma}${text.slice(last.getEnd(), insertAt)}\n${entryText}${text.slice(insertAt)}`;
}
