import { Command } from 'commander';
import { registerCost } from './cost';
import { registerDlq } from './dlq';
import { registerGraph } from './graph';
import { registerList } from './list';
import { registerNew } from './new';
import { registerOwned } from './owned';
import { registerRelease } from './release';
import { registerRollout } from './rollout';
import { registerRun } from './run';
import { registerSend } from './send';
import { registerSfn } from './sfn';
import { registerStatus } from './status';
import { registerTenants } from './tenants';

/**
 * Every command of the CLI. Each module registers one command (with its options and its
 * `--help` text) on the program; add yours here.
 */
export const COMMANDS: Array<(program: Command) => void> = [registerCost, (program) => registerDlq(program), registerGraph, registerList, registerNew, registerOwned, (program) => registerRelease(program), (program) => registerRollout(program), registerRun, registerSend, registerSfn, (program) => registerStatus(program), (program) => registerTenants(program)];
