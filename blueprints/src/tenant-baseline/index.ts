export * from './tenant-baseline';
export * from './options';
