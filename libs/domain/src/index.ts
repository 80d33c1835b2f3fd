export * from './data-source';
export * from './entities';
export * from './migrations';
export * from './wire/dead-letter-reason';
export * from './wire/parse';
export * from './wire/topics';
export * from './auth/password';
export * from './wire/live';
