import { spawn } from 'child_process';
import { TENANT_DEPLOYMENT } from '@fleet/contracts';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import type { Stack } from 'aws-cdk-lib';
import { CliError } from '../errors';
import { listServices } from '../fleet-root';
import { LOCAL_RUN, loadServiceStack } from '../service-stack';
import { synthesizedService } from '../synthesis-cache';
import { CfnTemplate, ServiceTemplate } from './template';

/**
 * The template of every service of the fleet at `root`, each built through the `buildStack` its
 * `src/main.ts` declares, in an App without the checks and without bundling (a template is
 * priced by its resources, not its code): from the synthesis cache, or, with `outdir`,
 * synthesized into `outdir/<service>/` to keep.
 */
export async function synthesizeFleet(root: string, outdir?: string): Promise<ServiceTemplate[]> {
  // Only what runs in every tenant account is multiplied by the tenant count; the control
  // plane runs once, in the central account.
  const services = listServices(root, TENANT_DEPLOYMENT);
  if (services.length === 0) {
    throw new CliError(`No services found under ${path.join(root, 'projects')}. Fix: add one to .projenrc.ts and run npx projen, or pass --templates <dir>.`);
  }
  if (outdir === undefined) {
    // Only the templates are read: a warm run loads neither tsx nor esbuild.
    return services.map((service) => ({ service, template: synthesizedService(path.join(root, 'projects', service), service, { runsHandlers: false }).service.template }));
  }
  mkdirSync(outdir, { recursive: true });
  return services.map((service) => {
    const out = path.join(outdir, service);
    const dir = path.join(root, 'projects', service);
    try {
      const { app } = loadServiceStack<Stack>(dir, service, { ...LOCAL_RUN, outdir: out });
      app.synth();
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(
        `Synthesizing service ${service} failed in ${dir}: ${(error as Error).message}\nFix: run \`npx projen synth\` in ${dir} to see the full error and correct the stack, or pass --templates <dir> with templates synthesized before.`,
      );
    }
    return { service, template: readTemplate(findTemplate(out, service), service) };
  });
}

function findTemplate(dir: string, service: string): string {
  const exact = path.join(dir, `${service}.template.json`);
  if (existsSync(exact)) return exact;
  const any = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.template.json')) : [];
  if (any.length === 1) return path.join(dir, any[0]);
  throw new CliError(
    `No template for service ${service} in ${dir}: expected ${service}.template.json${any.length ? `, found ${any.join(', ')}` : ''}. Fix: the service's src/main.ts must synthesize one stack named after the service.`,
  );
}

function readTemplate(file: string, service: string): CfnTemplate {
  try {
    const template = JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
    if (!template || typeof template !== 'object' || typeof template.Resources !== 'object') throw new Error('it has no Resources section');
    return template;
  } catch (error) {
    throw new CliError(`The template of ${service} at ${file} is not a CloudFormation template (${(error as Error).message}). Fix: synthesize it again.`);
  }
}

/**
 * Templates already synthesized in `dir`: `<dir>/<name>.template.json` or
 * `<dir>/<service>/<name>.template.json` (the layout `--out` writes). The service is the name
 * before `.template.json`.
 */
export function loadTemplates(dir: string): ServiceTemplate[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError(`--templates ${dir}: no such folder. Fix: pass the folder holding <service>.template.json files (for example one written by fleet cost --out <dir>).`);
  }
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.template.json')) files.push(full);
    else if (entry.isDirectory()) {
      for (const inner of readdirSync(full)) if (inner.endsWith('.template.json')) files.push(path.join(full, inner));
    }
  }
  if (files.length === 0) {
    throw new CliError(`--templates ${dir}: no *.template.json file in it or in its subfolders. Fix: synthesize first (fleet cost --out ${dir} --tenants 1) or pass another folder.`);
  }
  const byService = new Map<string, ServiceTemplate>();
  for (const file of files.sort()) {
    const service = path.basename(file, '.template.json');
    if (byService.has(service)) throw new CliError(`--templates ${dir}: two templates for ${service}. Fix: keep one ${service}.template.json.`);
    byService.set(service, { service, template: readTemplate(file, service) });
  }
  return [...byService.values()].sort((a, b) => a.service.localeCompare(b.service));
}

/**
 * Synthesizes one service of the fleet at `root` into `out` (its cloud assembly: template, assets
 * manifest, asset folders) and returns the template's path. `fleet release` builds on it: a
 * release is the deployed artifact, so it is synthesized as the build does (`tsx src/main.ts`:
 * bundled handlers, CloudFormation validation and both rule packs), never the local-run way.
 */
export async function synthesizeService(root: string, service: string, out: string, tsxCli: string = require.resolve('tsx/cli')): Promise<string> {
  await runSynth(tsxCli, path.join(root, 'projects', service), out, service);
  return findTemplate(out, service);
}

function runSynth(tsxCli: string, cwd: string, out: string, service: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, 'src/main.ts'], {
      cwd,
      env: { ...process.env, CDK_OUTDIR: out },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => reject(new CliError(`Could not start the synthesis of ${service} (${error.message}). Fix: run npm ci at the fleet root so tsx is installed.`)));
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const tail = output.trim().split('\n').slice(-15).join('\n');
      reject(new CliError(
        `Synthesizing service ${service} failed (exit code ${code}) in ${cwd}:\n${tail}\nFix: run \`CDK_OUTDIR=cdk.out npx tsx src/main.ts\` in ${cwd} to see the full error and correct the stack, or pass --templates <dir> with templates synthesized before.`,
      ));
    });
  });
}
