// node-diff3 publishes its types under "exports" only, which this package's moduleResolution
// ("node") does not read; point the module at the same declaration file.
declare module 'node-diff3' {
  export * from 'node-diff3/src/diff3';
}
