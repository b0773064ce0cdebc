import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** The repository root (this folder's parent). */
export const ROOT = path.resolve(__dirname, '..');

/** One module specifier a source file imports. */
export interface SourceImport {
  /** The file, relative to the repository root. */
  readonly file: string;
  readonly specifier: string;
  /** `import type` / `export type`: erased by tsc, so never loaded at run time. */
  readonly typeOnly: boolean;
}

/** Every `ext` file under `dir` (relative to the root), skipping node_modules, cdk.out and nested lib/ folders. */
export function sourceFiles(dir: string, ext = '.ts'): string[] {
  const absolute = path.join(ROOT, dir);
  if (!existsSync(absolute)) return [];
  if (statSync(absolute).isFile()) return absolute.endsWith(ext) ? [dir] : [];
  const files: string[] = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    if (['node_modules', 'lib', 'cdk.out'].includes(entry.name)) continue;
    const child = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(child, ext));
    else if (entry.name.endsWith(ext) && !entry.name.endsWith('.d.ts')) files.push(child);
  }
  return files.sort();
}

/**
 * The imports of one file, read with the TypeScript parser: static imports and re-exports,
 * `import x = require()`, dynamic `import()`, `require()` and `import('...')` types.
 */
export function importsOf(file: string): SourceImport[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf-8'), ts.ScriptTarget.ES2022, true);
  const found: SourceImport[] = [];
  const add = (node: ts.Node | undefined, typeOnly: boolean) => {
    if (node && ts.isStringLiteralLike(node)) found.push({ file, specifier: node.text, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const allTypes = clause !== undefined && (clause.isTypeOnly
        || (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings)
          && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, allTypes);
    } else if (ts.isExportDeclaration(node)) {
      const allTypes = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause)
        && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, allTypes);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The `ext` file a relative specifier of `file` names, relative to the root, or undefined. */
export function resolveRelative(file: string, specifier: string, ext = '.ts'): string | undefined {
  const base = path.posix.join(path.posix.dirname(file), specifier);
  for (const candidate of [base, `${base}${ext}`, `${base}/index${ext}`]) {
    const absolute = path.join(ROOT, candidate);
    if (candidate.endsWith(ext) && existsSync(absolute) && statSync(absolute).isFile()) return candidate;
  }
  return undefined;
}
