import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.js';

export type HostDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Opens (and creates) the host's SQLite database: approvals, audit trail, alerts. */
export function openHostDb(path: string): HostDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec(schema.DDL);
  return drizzle(sqlite, { schema }) as HostDb;
}
