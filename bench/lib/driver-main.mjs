// Shared entry of every driver process: reads its JSON config from argv,
// runs `body`, prints one JSON result line on stdout (progress goes to
// stderr) and always runs the driver's cleanup.
import { PidLedger } from './proc.mjs';

/**
 * @param {(cfg: any, ctx: { ledger: PidLedger, cleanups: Array<() => Promise<void>|void> }) => Promise<object>} body
 */
export async function driverMain(body) {
  const cfg = JSON.parse(process.argv[2] ?? '{}');
  const ledger = new PidLedger(cfg.ledgerPath);
  const cleanups = [];
  let result;
  let failure;
  try {
    result = await body(cfg, { ledger, cleanups });
  } catch (err) {
    failure = err instanceof Error ? err.stack ?? err.message : String(err);
  }
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch (err) {
      process.stderr.write(`cleanup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  process.stdout.write(JSON.stringify(failure ? { ok: false, error: failure } : { ok: true, ...result }) + '\n');
  // Drivers hold FIFOs, sockets and child handles; exit explicitly once the result is out.
  process.exit(0);
}
