export * from './options';
export * from './__NAME__';
