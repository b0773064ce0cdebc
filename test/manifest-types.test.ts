import { readFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { REPO } from './support';

/**
 * `npx projen typecheck` runs `tsc --noEmit -p tsconfig.json`, whose `include` covers
 * `.projenrc.ts`. These tests type-check variants of the real manifest with the TypeScript
 * compiler and the root tsconfig's options, as a file next to `.projenrc.ts` (so its imports
 * resolve the same way); the variant lives only in memory, nothing is written to the repository.
 */
const MANIFEST = readFileSync(path.join(REPO, '.projenrc.ts'), 'utf-8');
const VARIANT = path.join(REPO, '.projenrc.variant.ts');

function rootCompilerOptions(): ts.CompilerOptions {
  const file = path.join(REPO, 'tsconfig.json');
  const config = ts.readConfigFile(file, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, REPO, undefined, file).options;
}

const OPTIONS = rootCompilerOptions();
let previous: ts.Program | undefined;

/** A program of the root tsconfig's options whose one root file is `source`, as `.projenrc.variant.ts`. */
function programOf(source: string): ts.Program {
  const host = ts.createCompilerHost(OPTIONS);
  const readFile = host.readFile;
  const getSourceFile = host.getSourceFile;
  host.readFile = (file) => (path.resolve(file) === VARIANT ? source : readFile(file));
  host.fileExists = (file) => path.resolve(file) === VARIANT || ts.sys.fileExists(file);
  host.getSourceFile = (file, language, onError) =>
    path.resolve(file) === VARIANT ? ts.createSourceFile(file, source, language) : getSourceFile(file, language, onError);
  const program = ts.createProgram({ rootNames: [VARIANT], options: OPTIONS, host, oldProgram: previous });
  previous = program;
  return program;
}

/** The type errors of `source` as `.projenrc.ts` would get them: `file:line underlined-text: message (related information)`, one per diagnostic. */
function typeErrors(source: string): string[] {
  return ts.getPreEmitDiagnostics(programOf(source)).map((d) => {
    // Where the editor underlines it: the option's name for a wrong type, the misspelled name itself.
    const at = d.file && d.start !== undefined
      ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1} ${d.file.text.slice(d.start, d.start + (d.length ?? 0))}: `
      : '';
    // The related information says which option a wrong type belongs to ("The expected type comes from property ...").
    const related = (d.relatedInformation ?? []).map((r) => ` (${ts.flattenDiagnosticMessageText(r.messageText, ' ')})`).join('');
    return `${at}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}${related}`;
  });
}

/** `MANIFEST` with `from` replaced by `to`, failing when `from` is not in the manifest (so the test cannot pass vacuously). */
function edited(...edits: Array<[from: string, to: string]>): string {
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`the manifest no longer contains ${JSON.stringify(from)}: update this test`);
    return text.replace(from, to);
  }, MANIFEST);
}

function lineOf(text: string, fragment: string): number {
  return text.slice(0, text.indexOf(fragment)).split('\n').length;
}

describe('the fleet manifest is typed', () => {
  test('GIVEN the manifest as committed WHEN type-checked with the root tsconfig THEN it has no errors', () => {
    expect(typeErrors(MANIFEST)).toEqual([]);
  });

  test('GIVEN a misspelled option and a value of the wrong type WHEN type-checked THEN each is a TypeScript error naming the option', () => {
    const source = edited(
      ["organizationId: 'o-a1b2c3d4e5'", "organisationId: 'o-a1b2c3d4e5'"],
      ["centralAccountId: '999988887777'", 'centralAccountId: 999988887777'],
      ["tableAccess: 'read' }", "tableAccess: 'reed' }"],
    );
    const errors = typeErrors(source);
    expect(errors).toEqual([
      `.projenrc.variant.ts:${lineOf(source, 'organisationId')} organisationId: Object literal may only specify known properties, but 'organisationId' does not exist in type 'ServiceDeclarationOf<"control-plane">'. Did you mean to write 'organizationId'?`,
      `.projenrc.variant.ts:${lineOf(source, 'centralAccountId')} centralAccountId: Type 'number' is not assignable to type 'string'.`,
      `.projenrc.variant.ts:${lineOf(source, "'reed'")} tableAccess: Type '"reed"' is not assignable to type 'TableAccess | undefined'. (The expected type comes from property 'tableAccess' which is declared here on type 'FunctionDeclaration')`,
    ]);
  });

  test('GIVEN a team that registers its blueprint options in BlueprintOptionsMap WHEN its manifest entry is type-checked THEN it is checked like a built-in one', () => {
    const source = [
      "import { Fleet } from './blueprints/src';",
      '',
      "declare module './blueprints/src' {",
      "  interface BlueprintOptionsMap { 'scheduled-job': { readonly name: string; readonly schedule: string } }",
      '}',
      '',
      'new Fleet({',
      "  name: 'team-fleet',",
      "  services: [{ name: 'nightly-export', blueprint: 'scheduled-job', schedule: 'rate(1 day)' }, { name: 'weekly-export', blueprint: 'scheduled-job', schedul: 'rate(7 days)' }],",
      '});',
      '',
    ].join('\n');
    expect(typeErrors(source)).toEqual([
      ".projenrc.variant.ts:9 schedul: Object literal may only specify known properties, but 'schedul' does not exist in type 'ServiceDeclarationOf<\"scheduled-job\">'. Did you mean to write 'schedule'?",
    ]);
  });

  test('GIVEN every blueprint registered in BlueprintOptionsMap WHEN its options are listed THEN every optional option, nested ones included, documents its @default', () => {
    const program = programOf("import { BlueprintOptionsMap } from './blueprints/src';\nexport type Map = BlueprintOptionsMap;\n");
    const checker = program.getTypeChecker();
    const variant = program.getSourceFile(VARIANT)!;
    const map = checker.getExportsOfModule(checker.getSymbolAtLocation(variant)!).find((s) => s.name === 'Map')!;
    const undocumented: string[] = [];
    const visited = new Set<ts.Type>();
    const visit = (type: ts.Type, at: string): void => {
      if (visited.has(type)) return;
      visited.add(type);
      for (const part of type.isUnion() ? type.types : [type]) {
        if (checker.isArrayType(part)) {
          checker.getTypeArguments(part as ts.TypeReference).forEach((t) => visit(t, `${at}[]`));
          continue;
        }
        if (!(part.flags & ts.TypeFlags.Object)) continue;
        for (const info of checker.getIndexInfosOfType(part)) visit(info.type, `${at}[name]`);
        for (const property of checker.getPropertiesOfType(part)) {
          const where = `${at}.${property.name}`;
          if (property.flags & ts.SymbolFlags.Optional && !property.getJsDocTags(checker).some((tag) => tag.name === 'default')) undocumented.push(where);
          visit(checker.getNonNullableType(checker.getTypeOfSymbol(property)), where);
        }
      }
    };
    const ids = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(map));
    for (const id of ids) visit(checker.getTypeOfSymbol(id), id.name);
    expect(ids.map((id) => id.name).sort()).toEqual(['control-plane', 'step-functions-service', 'tenant-baseline']);
    expect(visited.size).toBeGreaterThan(5);
    expect(undocumented).toEqual([]);
  });
});
