import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BuildFailure, buildSync, Message } from 'esbuild';
import { Construct } from 'constructs';
import { optionError } from './private/errors';

/** Properties of a `HandlerBundle`. */
export interface HandlerBundleProps {
  /**
   * Handlers to bundle: handler name -> absolute path of a `.ts` file exporting `handler`.
   * The name becomes the output folder (`<name>/index.js`), so it must be a plain file name.
   */
  readonly entries: Record<string, string>;

  /**
   * esbuild target.
   *
   * @default 'node22' - matches the Lambda runtime (`nodejs22.x`) of `TenantFunction`
   */
  readonly nodeTarget?: string;

  /**
   * Minify the output: smaller bundles load faster on cold start.
   *
   * @default true
   */
  readonly minify?: boolean;

  /**
   * Write external source maps (`index.js.map`, without sources content); `TenantFunction` then
   * sets `NODE_OPTIONS=--enable-source-maps` so stack traces point at the TypeScript lines.
   *
   * @default true
   */
  readonly sourceMap?: boolean;

  /**
   * Module names left out of the bundle (resolved at runtime from the Lambda runtime).
   *
   * @default [] - everything is bundled, including the AWS SDK v3: the code that runs is the code
   * that was tested, not whatever SDK version the runtime ships that day
   */
  readonly externals?: string[];
}

/** One bundled file, path relative to the bundle root. */
interface BundledFile {
  readonly path: string;
  readonly contents: Uint8Array;
}

const HANDLER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Bundles all the handlers of a service with ONE in-process esbuild call (no child process per
 * function, no Docker) and hands out one `lambda.Code` asset per handler.
 *
 * Output format is CommonJS (`index.js`): Lambda loads `.js` as CommonJS when no `package.json`
 * says `"type": "module"`, and CommonJS keeps dynamic `require` of bundled dependencies working
 * without the `createRequire` banner ESM output needs. See
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.
 *
 * The output folder is content-addressed (`<os.tmpdir()>/fleet-bundles/<sha256 of the output>`)
 * and esbuild runs with a working directory and virtual output folder derived from the entries
 * only, so the same sources give byte-identical files, hence the same asset hashes, between
 * synths, processes and checkouts in different folders.
 */
export class HandlerBundle extends Construct {
  /** Folder holding `<name>/index.js` for every handler. */
  public readonly outputDir: string;

  /** Names of the bundled handlers, sorted. */
  public readonly handlerNames: string[];

  /** Whether source maps were written (so functions should run with `--enable-source-maps`). */
  public readonly sourceMap: boolean;

  /** The bundled sources: handler name -> absolute path of its `.ts` file (local runs call them in-process). */
  public readonly entries: Readonly<Record<string, string>>;

  public constructor(scope: Construct, id: string, props: HandlerBundleProps) {
    super(scope, id);
    this.handlerNames = Object.keys(props.entries).sort();
    this.sourceMap = props.sourceMap ?? true;
    this.entries = { ...props.entries };
    this.validateEntries(props.entries);

    // A local run (serviceApp({ bundling: false })) runs `entries` from source: one placeholder
    // file per handler keeps the assets valid without running esbuild.
    const files = Stack.of(this).bundlingRequired ? this.build(props) : this.handlerNames.map((name) => ({
      path: `${name}/index.js`,
      contents: Buffer.from('// Not bundled: synthesized for a local run, which runs the handler sources.\n'),
    }));
    this.outputDir = writeContentAddressed(files);
  }

  /**
   * The Lambda code asset of one handler (its folder holds `index.js`, handler `index.handler`).
   *
   * @param name a key of `entries`
   */
  public code(name: string): lambda.Code {
    if (!this.handlerNames.includes(name)) {
      throw optionError(this, 'name', 'is not a bundled handler', name, `Use one of the entries: ${this.handlerNames.join(', ')}`);
    }
    return lambda.Code.fromAsset(path.join(this.outputDir, name));
  }

  private validateEntries(entries: Record<string, string>): void {
    if (this.handlerNames.length === 0) {
      throw optionError(this, 'entries', 'must not be empty', entries, 'Give at least one handler name and the absolute path of its .ts file');
    }
    const badNames = this.handlerNames.filter((name) => !HANDLER_NAME.test(name));
    if (badNames.length > 0) {
      throw optionError(this, 'entries', 'has handler names that are not plain file names', badNames,
        'Use letters, digits, "-" and "_" only, starting with a letter or digit');
    }
    const relative = this.handlerNames.map((name) => entries[name]).filter((file) => !path.isAbsolute(file));
    if (relative.length > 0) {
      throw optionError(this, 'entries', 'has paths that are not absolute', relative,
        'Pass absolute paths, for example path.join(__dirname, \'handlers\', \'x.ts\')');
    }
    const missing = this.handlerNames.map((name) => entries[name]).filter((file) => !fs.existsSync(file));
    if (missing.length > 0) {
      throw optionError(this, 'entries', 'has files that do not exist', missing, 'Create the files or fix the paths');
    }
  }

  private build(props: HandlerBundleProps): BundledFile[] {
    const entryFiles = this.handlerNames.map((name) => props.entries[name]);
    // Paths in output comments and source maps are relative to these two folders; both depend
    // only on where the entries are, never on process.cwd() or os.tmpdir().
    const workingDir = commonAncestor(entryFiles.map((file) => path.dirname(file)));
    const virtualOutdir = path.join(workingDir, '.fleet-bundle');
    try {
      const result = buildSync({
        entryPoints: this.handlerNames.map((name) => ({ in: props.entries[name], out: `${name}/index` })),
        absWorkingDir: workingDir,
        outdir: virtualOutdir,
        write: false,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: props.nodeTarget ?? 'node22',
        minify: props.minify ?? true,
        sourcemap: this.sourceMap ? 'external' : false,
        // Node only needs the mappings for stack traces; sources content would double the size.
        sourcesContent: false,
        external: props.externals ?? [],
        logLevel: 'silent',
      });
      return result.outputFiles.map((file) => ({ path: path.relative(virtualOutdir, file.path), contents: file.contents }));
    } catch (error) {
      const failure = error as Partial<BuildFailure>;
      if (!Array.isArray(failure.errors)) throw error;
      throw optionError(this, 'entries', 'failed to bundle', failure.errors.map((message) => formatMessage(message, workingDir)),
        'Fix the errors esbuild reported in the handler sources (or mark the module as external with externals)');
    }
  }
}

function formatMessage(message: Message, workingDir: string): string {
  const where = message.location ? `${path.resolve(workingDir, message.location.file)}:${message.location.line}:${message.location.column}: ` : '';
  return `${where}${message.text}`;
}

function commonAncestor(dirs: string[]): string {
  return dirs.reduce((common, dir) => {
    let candidate = common;
    while (candidate !== dir && !dir.startsWith(candidate.endsWith(path.sep) ? candidate : candidate + path.sep)) {
      candidate = path.dirname(candidate);
    }
    return candidate;
  });
}

/**
 * Writes the files (paths relative to the bundle root) to `<tmp>/fleet-bundles/<sha256>` unless
 * that folder exists already. The folder is written under a unique name, then renamed: readers
 * (parallel synths, jest workers) see a complete folder or none.
 */
function writeContentAddressed(files: BundledFile[]): string {
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  const hash = crypto.createHash('sha256');
  for (const file of sorted) {
    hash.update(file.path.split(path.sep).join('/')).update('\0').update(file.contents).update('\0');
  }
  const root = path.join(os.tmpdir(), 'fleet-bundles');
  const outputDir = path.join(root, hash.digest('hex').slice(0, 32));
  if (sorted.every((file) => fs.existsSync(path.join(outputDir, file.path)))) return outputDir;
  // A tmp cleaner may have removed files of an old folder: rebuild it whole.
  fs.rmSync(outputDir, { recursive: true, force: true });

  fs.mkdirSync(root, { recursive: true });
  const staging = fs.mkdtempSync(path.join(root, '.staging-'));
  for (const file of sorted) {
    const target = path.join(staging, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.contents);
  }
  try {
    fs.renameSync(staging, outputDir);
  } catch (error) {
    // Another process won the race with identical content: keep theirs.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(outputDir)) throw error;
  }
  return outputDir;
}
