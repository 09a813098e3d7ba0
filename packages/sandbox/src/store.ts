import { DevopsAiError } from '@devops-ai/core';
import Database from 'better-sqlite3';
import { EVENT_TTL_MINUTES, RETENTION_MINUTES } from './model.js';
import type { SimSink } from './sink.js';
import type { WorldState } from './state.js';

type DB = Database.Database;

const SCHEMA_VERSION = '1';

const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS world (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS service_samples (
  namespace TEXT NOT NULL, service TEXT NOT NULL, minute INTEGER NOT NULL,
  rps REAL NOT NULL, error_ratio REAL NOT NULL, p50 REAL NOT NULL, p95 REAL NOT NULL, p99 REAL NOT NULL,
  cpu REAL NOT NULL, cpu_requests REAL NOT NULL, mem REAL NOT NULL, mem_requests REAL NOT NULL,
  spec_replicas INTEGER NOT NULL, ready_replicas INTEGER NOT NULL, available_replicas INTEGER NOT NULL,
  hpa_current INTEGER, hpa_desired INTEGER, hpa_min INTEGER, hpa_max INTEGER, hpa_cpu REAL,
  PRIMARY KEY (namespace, service, minute)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS service_samples_minute ON service_samples (minute);
CREATE TABLE IF NOT EXISTS pod_samples (
  namespace TEXT NOT NULL, pod TEXT NOT NULL, minute INTEGER NOT NULL, service TEXT NOT NULL, node TEXT,
  cpu REAL NOT NULL, mem REAL NOT NULL, rps REAL NOT NULL, error_ratio REAL NOT NULL, p50 REAL NOT NULL,
  p95 REAL NOT NULL, ready INTEGER NOT NULL, restarts INTEGER NOT NULL, flags INTEGER NOT NULL,
  PRIMARY KEY (namespace, pod, minute)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pod_samples_minute ON pod_samples (minute);
CREATE TABLE IF NOT EXISTS node_group_samples (
  node_group TEXT NOT NULL, minute INTEGER NOT NULL, nodes INTEGER NOT NULL, ready_nodes INTEGER NOT NULL,
  cpu_requested REAL NOT NULL, cpu_allocatable REAL NOT NULL, mem_requested REAL NOT NULL, mem_allocatable REAL NOT NULL,
  PRIMARY KEY (node_group, minute)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY, namespace TEXT NOT NULL, type TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,
  kind TEXT NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL, first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS events_object ON events (namespace, name, reason);
CREATE INDEX IF NOT EXISTS events_last ON events (last_ms);
CREATE TABLE IF NOT EXISTS pod_logs (
  id INTEGER PRIMARY KEY, namespace TEXT NOT NULL, pod TEXT NOT NULL, instance INTEGER NOT NULL,
  time_ms INTEGER NOT NULL, line TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS pod_logs_pod ON pod_logs (namespace, pod, instance, time_ms);
CREATE INDEX IF NOT EXISTS pod_logs_time ON pod_logs (time_ms);
`;

export interface EventRow {
  id: number;
  namespace: string;
  type: string;
  reason: string;
  message: string;
  kind: string;
  name: string;
  count: number;
  first_ms: number;
  last_ms: number;
}

export interface ServiceSampleRow {
  namespace: string;
  service: string;
  minute: number;
  rps: number;
  error_ratio: number;
  p50: number;
  p95: number;
  p99: number;
  cpu: number;
  cpu_requests: number;
  mem: number;
  mem_requests: number;
  spec_replicas: number;
  ready_replicas: number;
  available_replicas: number;
  hpa_current: number | null;
  hpa_desired: number | null;
  hpa_min: number | null;
  hpa_max: number | null;
  hpa_cpu: number | null;
}

export interface GroupSampleDbRow {
  node_group: string;
  minute: number;
  nodes: number;
  ready_nodes: number;
  cpu_requested: number;
  cpu_allocatable: number;
  mem_requested: number;
  mem_allocatable: number;
}

export interface PodSampleDbRow {
  namespace: string;
  pod: string;
  minute: number;
  service: string;
  node: string | null;
  cpu: number;
  mem: number;
  rps: number;
  error_ratio: number;
  p50: number;
  p95: number;
  ready: number;
  restarts: number;
  flags: number;
}

/**
 * The persistent store: one SQLite file shared by every process that opens the world. WAL lets
 * readers proceed while a writer commits; every read-modify-write runs in BEGIN IMMEDIATE; every
 * call reads the state afresh (there is no in-process cache to go stale).
 */
export class Store {
  readonly db: DB;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 15000');
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
  }

  close(): void {
    this.db.close();
  }

  /** Create the schema and, if the world does not exist yet, build it (all in one write transaction). */
  init(create: () => { state: WorldState; sink: SimSink }, seed: number | undefined): WorldState | null {
    return this.db
      .transaction((): WorldState | null => {
        this.db.exec(DDL);
        const version = this.meta('schema_version');
        if (version !== undefined && version !== SCHEMA_VERSION) {
          throw new DevopsAiError(
            'config_error',
            `sandbox file has schema version ${version}, this code expects ${SCHEMA_VERSION}; delete the file to start a new world`,
          );
        }
        const existing = this.db.prepare('SELECT state FROM world WHERE id = 1').get() as
          | { state: string }
          | undefined;
        if (existing) {
          const state = JSON.parse(existing.state) as WorldState;
          if (seed !== undefined && state.seed !== seed) {
            throw new DevopsAiError(
              'config_error',
              `the sandbox world in this file was created with seed ${state.seed}, not ${seed}; use another path for another seed`,
            );
          }
          return null;
        }
        const { state, sink } = create();
        this.setMeta('schema_version', SCHEMA_VERSION);
        this.setMeta('seed', String(state.seed));
        this.db.prepare('INSERT INTO world (id, version, state) VALUES (1, 1, ?)').run(JSON.stringify(state));
        this.flush(sink, state.clockMs);
        return state;
      })
      .immediate();
  }

  meta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  private ensureOpen(): void {
    if (!this.db.open) throw new DevopsAiError('backend_error', 'the sandbox world has been closed');
  }

  loadState(): WorldState {
    this.ensureOpen();
    const row = this.db.prepare('SELECT state FROM world WHERE id = 1').get() as
      | { state: string }
      | undefined;
    if (!row) throw new DevopsAiError('internal', 'sandbox world is not initialised');
    return JSON.parse(row.state) as WorldState;
  }

  saveState(state: WorldState): void {
    this.db
      .prepare('UPDATE world SET state = ?, version = version + 1 WHERE id = 1')
      .run(JSON.stringify(state));
  }

  /** Run fn in a write transaction (BEGIN IMMEDIATE). */
  write<T>(fn: () => T): T {
    this.ensureOpen();
    return this.db.transaction(fn).immediate();
  }

  /** Run fn in a read transaction so all its reads see one consistent snapshot. */
  read<T>(fn: () => T): T {
    this.ensureOpen();
    return this.db.transaction(fn).deferred();
  }

  /** Persist what a simulation step emitted, and trim history older than the retention. */
  flush(sink: SimSink, nowMs: number): void {
    const db = this.db;
    const svc = db.prepare(
      `INSERT OR REPLACE INTO service_samples (namespace, service, minute, rps, error_ratio, p50, p95, p99, cpu, cpu_requests,
        mem, mem_requests, spec_replicas, ready_replicas, available_replicas, hpa_current, hpa_desired, hpa_min, hpa_max, hpa_cpu)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const { minute, obs: o } of sink.serviceSamples) {
      svc.run(
        o.namespace,
        o.service,
        minute,
        o.rps,
        o.errorRatio,
        o.p50,
        o.p95,
        o.p99,
        o.cpu,
        o.cpuRequests,
        o.memMiB,
        o.memRequests,
        o.specReplicas,
        o.readyReplicas,
        o.availableReplicas,
        o.hpaCurrent,
        o.hpaDesired,
        o.hpaMin,
        o.hpaMax,
        o.hpaCpu,
      );
    }
    const delPods = db.prepare('DELETE FROM pod_samples WHERE minute = ?');
    const pod = db.prepare(
      `INSERT OR REPLACE INTO pod_samples (namespace, pod, minute, service, node, cpu, mem, rps, error_ratio, p50, p95, ready, restarts, flags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const { minute, rows } of sink.podSamples) {
      // A minute re-recorded after an API call replaces its pods (deleted pods vanish).
      delPods.run(minute);
      for (const r of rows) {
        pod.run(
          r.namespace,
          r.pod,
          minute,
          r.service,
          r.node,
          r.cpu,
          r.memMiB,
          r.rps,
          r.errorRatio,
          r.p50,
          r.p95,
          r.ready,
          r.restarts,
          r.flags,
        );
      }
    }
    const group = db.prepare(
      `INSERT OR REPLACE INTO node_group_samples (node_group, minute, nodes, ready_nodes, cpu_requested, cpu_allocatable, mem_requested, mem_allocatable)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const { minute, rows } of sink.groupSamples) {
      for (const g of rows) {
        group.run(
          g.nodeGroup,
          minute,
          g.nodes,
          g.readyNodes,
          g.cpuRequested,
          g.cpuAllocatable,
          g.memRequested,
          g.memAllocatable,
        );
      }
    }
    const findEvent = db.prepare(
      'SELECT id FROM events WHERE namespace = ? AND name = ? AND reason = ? AND kind = ? AND message = ? AND last_ms >= ? ORDER BY id DESC LIMIT 1',
    );
    const bump = db.prepare('UPDATE events SET count = count + 1, last_ms = ? WHERE id = ?');
    const insertEvent = db.prepare(
      'INSERT INTO events (namespace, type, reason, message, kind, name, count, first_ms, last_ms) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)',
    );
    const ttlMs = EVENT_TTL_MINUTES * 60_000;
    for (const e of sink.events) {
      const hit = findEvent.get(e.namespace, e.name, e.reason, e.kind, e.message, e.timeMs - ttlMs) as
        | { id: number }
        | undefined;
      if (hit) bump.run(e.timeMs, hit.id);
      else insertEvent.run(e.namespace, e.type, e.reason, e.message, e.kind, e.name, e.timeMs, e.timeMs);
    }
    const log = db.prepare(
      'INSERT INTO pod_logs (namespace, pod, instance, time_ms, line) VALUES (?, ?, ?, ?, ?)',
    );
    for (const l of sink.logs) log.run(l.namespace, l.pod, l.instance, l.timeMs, l.line);
    // Bounded history.
    const oldest = Math.floor(nowMs / 60_000) - RETENTION_MINUTES;
    db.prepare('DELETE FROM service_samples WHERE minute < ?').run(oldest);
    db.prepare('DELETE FROM pod_samples WHERE minute < ?').run(oldest);
    db.prepare('DELETE FROM node_group_samples WHERE minute < ?').run(oldest);
    db.prepare('DELETE FROM pod_logs WHERE time_ms < ?').run(oldest * 60_000);
    db.prepare('DELETE FROM events WHERE last_ms < ?').run(nowMs - ttlMs);
  }

  // ---------------------------------------------------------------- queries

  events(namespace?: string, name?: string): EventRow[] {
    this.ensureOpen();
    const where: string[] = [];
    const args: string[] = [];
    if (namespace !== undefined) {
      where.push('namespace = ?');
      args.push(namespace);
    }
    if (name !== undefined) {
      where.push('name = ?');
      args.push(name);
    }
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_ms, id`;
    return this.db.prepare(sql).all(...args) as EventRow[];
  }

  serviceSamples(
    fromMinute: number,
    toMinute: number,
    namespace?: string,
    service?: string,
  ): ServiceSampleRow[] {
    const where = ['minute >= ?', 'minute <= ?'];
    const args: Array<string | number> = [fromMinute, toMinute];
    if (namespace !== undefined) {
      where.push('namespace = ?');
      args.push(namespace);
    }
    if (service !== undefined) {
      where.push('service = ?');
      args.push(service);
    }
    return this.db
      .prepare(`SELECT * FROM service_samples WHERE ${where.join(' AND ')} ORDER BY minute`)
      .all(...args) as ServiceSampleRow[];
  }

  podSamples(fromMinute: number, toMinute: number, namespace?: string, pod?: string): PodSampleDbRow[] {
    const where = ['minute >= ?', 'minute <= ?'];
    const args: Array<string | number> = [fromMinute, toMinute];
    if (namespace !== undefined) {
      where.push('namespace = ?');
      args.push(namespace);
    }
    if (pod !== undefined) {
      where.push('pod = ?');
      args.push(pod);
    }
    return this.db
      .prepare(`SELECT * FROM pod_samples WHERE ${where.join(' AND ')} ORDER BY minute`)
      .all(...args) as PodSampleDbRow[];
  }

  groupSamples(fromMinute: number, toMinute: number): GroupSampleDbRow[] {
    return this.db
      .prepare('SELECT * FROM node_group_samples WHERE minute >= ? AND minute <= ? ORDER BY minute')
      .all(fromMinute, toMinute) as GroupSampleDbRow[];
  }

  storedLogs(
    namespace: string,
    pod: string,
    instance: number,
  ): Array<{ time_ms: number; line: string; id: number }> {
    return this.db
      .prepare(
        'SELECT id, time_ms, line FROM pod_logs WHERE namespace = ? AND pod = ? AND instance = ? ORDER BY time_ms, id',
      )
      .all(namespace, pod, instance) as Array<{ time_ms: number; line: string; id: number }>;
  }
}
