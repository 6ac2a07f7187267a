import { Agent } from 'undici';

/**
 * One pooled HTTP client per process for the gateway's provider hop: keep-alive connections per origin,
 * reused across requests, so a request pays no TCP or TLS handshake once the pool is warm.
 */
export const providerPool = new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  connections: 256,
  pipelining: 1,
});
