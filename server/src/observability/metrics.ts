import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import type { Logger } from '../logging/logger';

/**
 * The process's Prometheus metrics (SPEC §11), served on their own listener (METRICS_PORT, METRICS_HOST) so the
 * public port never exposes them. Labels never carry a workspace, user or token id.
 */
const metricsRegistry = new Registry();

/** What the usage ledger and its rollups set aside instead of stopping (issue 17): each is a row to look at. */
export const usageMetrics = {
  ledgerRowsRejected: new Counter({
    name: 'byok_ledger_rejected_rows_total',
    help: 'Usage rows the database refused, set aside in usage_records_rejected instead of blocking the ledger',
    registers: [metricsRegistry],
  }),
  rollupDeltasRejected: new Counter({
    name: 'byok_rollup_deltas_rejected_total',
    help: 'Usage rollup deltas that could not be folded, set aside in usage_rollup_deltas_rejected',
    registers: [metricsRegistry],
  }),
};

export interface MetricsListener {
  /** The bound port, or null when metrics are off or the port was taken. */
  port: number | null;
  close(): Promise<void>;
}

/** Starts the /metrics listener; port 0 turns it off. A port already taken is logged, never fatal. */
export async function startMetricsListener(options: { port: number; host: string }, logger: Logger): Promise<MetricsListener> {
  if (options.port === 0) return { port: null, close: async () => undefined };
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    metricsRegistry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      logger.warn('metrics listener could not start (is another process on this port?)', { port: options.port, host: options.host, error: error.code });
      resolve(false);
    });
    server.listen(options.port, options.host, () => resolve(true));
  });
  if (!bound) return { port: null, close: async () => undefined };
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
