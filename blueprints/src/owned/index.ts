export * from './ledger';
export * from './merge';
export * from './owned-file-ledger';
export * from './apply';
export * from './file-policy';
export * from './files-by-policy';
export * from './glob-match';
