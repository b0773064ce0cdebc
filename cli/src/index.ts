export { createProgram, main } from './main';
export { CliError } from './errors';
export { findFleetRoot, listServices, serviceDir } from './fleet-root';
