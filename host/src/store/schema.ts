import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const approvals = sqliteTable('approvals', {
  id: text('id').primaryKey(),
  conversation: text('conversation').notNull(),
  toolCallId: text('tool_call_id').notNull(),
  server: text('server').notNull(),
  tool: text('tool').notNull(),
  /** canonical JSON of the validated arguments */
  args: text('args').notNull(),
  digest: text('digest').notNull(),
  risk: text('risk').notNull(),
  status: text('status').notNull(),
  requestedBy: text('requested_by').notNull(),
  requestedAt: text('requested_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  decidedBy: text('decided_by'),
  decidedAt: text('decided_at'),
  reason: text('reason'),
  result: text('result'),
  executedAt: text('executed_at'),
});

export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  ts: text('ts').notNull(),
  type: text('type').notNull(),
  actor: text('actor').notNull(),
  conversation: text('conversation'),
  subject: text('subject'),
  /** canonical JSON */
  data: text('data').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

export const alerts = sqliteTable('alerts', {
  fingerprint: text('fingerprint').primaryKey(),
  name: text('name').notNull(),
  status: text('status').notNull(),
  labels: text('labels').notNull(),
  annotations: text('annotations').notNull(),
  startsAt: text('starts_at'),
  endsAt: text('ends_at'),
  updatedAt: text('updated_at').notNull(),
});

export const conversations = sqliteTable('conversations', {
  id: text('id').primaryKey(),
  owner: text('owner').notNull(),
  /** 1: a shared channel conversation (a Slack thread, a Telegram chat) that several users may join */
  shared: integer('shared').notNull(),
  createdAt: text('created_at').notNull(),
});

export const DDL = `
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  shared INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS approvals (
  id TEXT PRIMARY KEY,
  conversation TEXT NOT NULL,
  tool_call_id TEXT NOT NULL,
  server TEXT NOT NULL,
  tool TEXT NOT NULL,
  args TEXT NOT NULL,
  digest TEXT NOT NULL,
  risk TEXT NOT NULL,
  status TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  reason TEXT,
  result TEXT,
  executed_at TEXT
);
CREATE INDEX IF NOT EXISTS approvals_status ON approvals(status);
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts TEXT NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  conversation TEXT,
  subject TEXT,
  data TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
  fingerprint TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  labels TEXT NOT NULL,
  annotations TEXT NOT NULL,
  starts_at TEXT,
  ends_at TEXT,
  updated_at TEXT NOT NULL
);
`;
