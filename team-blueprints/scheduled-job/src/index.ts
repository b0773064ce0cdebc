export * from './options';
export * from './scheduled-job';
export { resolveJob, stackClassOf, stateNameOf } from './sources';
export type { ResolvedJob } from './sources';
