// How long one loopback round trip between two processes on the two cores takes after the line sat idle for
// 0 ms to 1.3 s: what every extra process on a streamed answer's path pays here. A stream's deltas come 20 ms
// apart, and a gateway can sit idle for a whole stream (1.3 s) while others are served. Two kinds of round trip,
// each to a server pinned to core 0 from this process pinned to core 1: one byte echoed over TCP, and an HTTP
// POST answered at once (Node's http server, undici's client, as byok and the benchmark use them).
//   pnpm --filter @byok/server bench:loopback
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { Agent, request } from 'undici';

if (process.argv[2] === 'servers') {
  const echo = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (data) => socket.write(data));
  });
  const web = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  echo.listen(0, '127.0.0.1', () => web.listen(0, '127.0.0.1', () => process.stdout.write(`ports ${echo.address().port} ${web.address().port}\n`)));
} else {
  const child = spawn('taskset', ['-c', '0', process.execPath, new URL(import.meta.url).pathname, 'servers'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [tcpPort, httpPort] = await new Promise((resolve) => child.stdout.once('data', (data) => resolve(String(data).trim().split(' ').slice(1).map(Number))));
  const socket = net.connect(tcpPort, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  const agent = new Agent({ connections: 4, keepAliveTimeout: 30_000 });
  const kinds = {
    TCP: () =>
      new Promise((resolve) => {
        const started = performance.now();
        socket.once('data', () => resolve(performance.now() - started));
        socket.write('x');
      }),
    HTTP: async () => {
      const started = performance.now();
      const response = await request(`http://127.0.0.1:${httpPort}/`, { method: 'POST', dispatcher: agent, body: '{"a":1}' });
      await response.body.text();
      return performance.now() - started;
    },
  };
  for (const roundTrip of Object.values(kinds)) for (let index = 0; index < 200; index += 1) await roundTrip(); // warm-up
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  process.stdout.write('| idle before each round trip | TCP p50 ms | TCP p90 ms | HTTP p50 ms | HTTP p90 ms |\n|---:|---:|---:|---:|---:|\n');
  for (const gap of [0, 1, 5, 20, 200, 1300]) {
    const cells = [];
    for (const roundTrip of Object.values(kinds)) {
      const times = [];
      for (let index = 0; index < (gap >= 200 ? 15 : 60); index += 1) {
        if (gap > 0) await sleep(gap);
        times.push(await roundTrip());
      }
      times.sort((a, b) => a - b);
      const at = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(3);
      cells.push(at(0.5), at(0.9));
    }
    process.stdout.write(`| ${gap} ms | ${cells.join(' | ')} |\n`);
  }
  socket.destroy();
  await agent.close();
  child.kill();
}
