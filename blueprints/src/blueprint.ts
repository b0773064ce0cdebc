import { Project } from 'projen/lib/project';
import type { FilePolicyOverrides } from './components/file-policies';
import { ManifestProblem } from './errors';

/**
 * What the fleet needs to know about a blueprint: how to check a service's options and how to
 * build the service project. Built-in blueprints are listed in `registry.ts`; teams add theirs
 * by passing more of these to `Fleet({ blueprints })` and by adding their options type to
 * `BlueprintOptionsMap`, so their manifest entries type-check too.
 *
 * `TOptions` is the blueprint's options as the manifest writes them (without `blueprint`).
 * Types say which options exist and their shapes; `validate` says what types cannot (ranges,
 * name patterns, collisions) and still runs, because a manifest may be plain JavaScript or use
 * casts.
 */
export interface Blueprint<TOptions = any> {
  /** The id a manifest entry names in `blueprint`, kebab-case. */
  readonly id: string;
  /** One line for error messages and docs. */
  readonly description: string;
  /**
   * Every problem with a service's options (the manifest entry without `blueprint`).
   * `subject` locates the entry in the manifest, e.g. `services["scan-ingest"]`.
   */
  validate(options: unknown, subject: string): ManifestProblem[];
  /** Warnings for valid options (printed, not fatal). */
  advise?(options: TOptions, subject: string): string[];
  /**
   * Builds the service project in `outdir`. Only called with options that `validate` accepted,
   * so the project does not validate them a second time.
   */
  create(options: TOptions, outdir: string): Project;
}

/**
 * Blueprint id -> that blueprint's options type: the source of the manifest's types. Each
 * blueprint module adds its own entry by declaration merging, next to its runtime definition:
 *
 * ```ts
 * declare module '@fleet/blueprints' {
 *   interface BlueprintOptionsMap { 'scheduled-job': ScheduledJobOptions }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface BlueprintOptionsMap {}

/**
 * One manifest entry of blueprint `K`: `blueprint: K`, that blueprint's options, and the file
 * policies per path glob that every service may set (`files`, see `FilePolicy`).
 */
export type ServiceDeclarationOf<K extends keyof BlueprintOptionsMap> = { readonly blueprint: K } & FilePolicyOverrides & BlueprintOptionsMap[K];

/**
 * A service in the fleet manifest: its blueprint and that blueprint's options, one member per
 * entry of `BlueprintOptionsMap`, told apart by `blueprint`. A misspelled option or a value
 * of the wrong type is a TypeScript error in `.projenrc.ts`, with completion and each option's
 * `@default` in the editor.
 */
export type ServiceDeclaration = { [K in keyof BlueprintOptionsMap]: ServiceDeclarationOf<K> }[keyof BlueprintOptionsMap];
