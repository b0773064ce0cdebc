export { createProgram, main } from './main';
export { CliError } from './errors';
export { findFleetRoot, isServiceFolder, listServices, locateService, serviceDir } from './fleet-root';
export type { ServiceLocation } from './fleet-root';
