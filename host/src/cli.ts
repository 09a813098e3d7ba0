import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAuditLog } from './store/audit.js';
import { openHostDb } from './store/db.js';

/** `devops-ai audit verify [--data-dir .data]`: checks the hash chain and names the first broken entry. */
const { positionals, values } = parseArgs({
  args: process.argv.slice(2),
  options: { 'data-dir': { type: 'string' } },
  allowPositionals: true,
});
const [group, command] = positionals;
if (group !== 'audit' || command !== 'verify') {
  process.stderr.write('usage: devops-ai audit verify [--data-dir DIR]\n');
  process.exit(2);
}
const dataDir = values['data-dir'] ?? process.env.DEVOPS_AI_DATA_DIR ?? '.data';
const db = openHostDb(join(dataDir, 'host.db'));
const result = createAuditLog(db).verify();
db.$client.close();
if (result.ok) {
  process.stdout.write(`audit trail OK: ${result.entries} entries, head ${result.head}\n`);
} else {
  process.stdout.write(`audit trail BROKEN at entry ${result.brokenAt}: ${result.reason}\n`);
  process.exit(1);
}
