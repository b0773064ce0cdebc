import { JsonFile } from 'projen/lib/json';
import { Project } from 'projen/lib/project';

/** The compiler options every fleet TypeScript project shares. */
export const FLEET_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'commonjs',
  moduleResolution: 'node',
  lib: ['ES2022'],
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  // Tests and tsx transpile file by file; this keeps `tsc` honest about what that allows.
  isolatedModules: true,
  resolveJsonModule: true,
  noUnusedLocals: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
} as const;

export interface TypeScriptConfigOptions {
  /** @default 'tsconfig.json' */
  readonly fileName?: string;
  /** Globs of files to compile. */
  readonly include: string[];
  /** Options merged over `FLEET_COMPILER_OPTIONS`. @default {} */
  readonly compilerOptions?: Record<string, unknown>;
  /** Another tsconfig to extend. @default - none */
  readonly extends?: string;
}

/** A managed tsconfig file. */
export class TypeScriptConfig extends JsonFile {
  constructor(project: Project, options: TypeScriptConfigOptions) {
    super(project, options.fileName ?? 'tsconfig.json', {
      obj: {
        extends: options.extends,
        compilerOptions: options.extends
          ? options.compilerOptions
          : { ...FLEET_COMPILER_OPTIONS, ...(options.compilerOptions ?? {}) },
        include: options.include,
      },
      omitEmpty: true,
    });
  }
}
