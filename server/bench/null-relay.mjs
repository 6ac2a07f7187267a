// The least a gateway process can add: a pass-through with no authentication, no key and no ledger. Reads the
// body, sends it upstream on undici's pooled dispatcher (as byok does) and relays each chunk as it arrives.
// bench:gateway runs it pinned like the gateways, as the floor that any separate process pays on this machine.
//   node bench/null-relay.mjs <upstream origin>     → prints "relay listening on http://127.0.0.1:<port>"
import http from 'node:http';
import { Agent } from 'undici';

const upstream = process.argv[2];
const pool = new Agent({ connections: 256, keepAliveTimeout: 30_000, pipelining: 1 });

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const headers = { ...req.headers };
    delete headers.host;
    delete headers['content-length'];
    pool.dispatch(
      { origin: upstream, path: req.url, method: req.method, headers, body: Buffer.concat(chunks) },
      {
        onRequestStart() {},
        onResponseStart(_controller, status, upstreamHeaders) {
          const type = upstreamHeaders['content-type'] ?? 'application/json';
          res.writeHead(status, { 'content-type': type, ...(type.startsWith('text/event-stream') ? {} : {}) });
        },
        onResponseData(_controller, chunk) {
          res.write(chunk);
        },
        onResponseEnd() {
          res.end();
        },
        onResponseError(_controller, error) {
          res.destroy(error);
        },
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`relay listening on http://127.0.0.1:${server.address().port}\n`));
