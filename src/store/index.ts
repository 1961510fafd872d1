/** The metadata store: open it, run queries through `store.db`, group writes with transactions. */
export { openStore, type OpenStoreOptions } from './open.js';
export { inTransaction } from './transaction.js';
export type { Store, StoreDialect, Db } from './store.js';
export type * from './schema.js';
