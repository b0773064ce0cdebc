export * from './control-plane';
export * from './options';
