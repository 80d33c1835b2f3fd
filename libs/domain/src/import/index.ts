export * from './readings-import';
