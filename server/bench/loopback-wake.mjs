// How long one loopback round trip between two processes on the two cores takes, after the line sat idle for
// 0–200 ms: what every extra process on a streamed answer's path pays here, since the provider's deltas come
// 20 ms apart. An echo server pinned to core 0; this process, pinned to core 1, sends one byte and waits for it.
//   taskset -c 1 node bench/loopback-wake.mjs        (pnpm --filter @byok/server bench:loopback)
import { spawn } from 'node:child_process';
import net from 'node:net';

if (process.argv[2] === 'echo') {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (data) => socket.write(data));
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
} else {
  const child = spawn('taskset', ['-c', '0', process.execPath, new URL(import.meta.url).pathname, 'echo'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => child.stdout.once('data', (data) => resolve(Number(String(data).split(' ')[1]))));
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  const roundTrip = () =>
    new Promise((resolve) => {
      const started = performance.now();
      socket.once('data', () => resolve(performance.now() - started));
      socket.write('x');
    });
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  process.stdout.write('| idle before each round trip | p50 ms | p90 ms |\n|---:|---:|---:|\n');
  for (const gap of [0, 1, 5, 20, 200]) {
    const times = [];
    for (let index = 0; index < (gap >= 200 ? 20 : 100); index += 1) {
      if (gap > 0) await sleep(gap);
      times.push(await roundTrip());
    }
    times.sort((a, b) => a - b);
    const at = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(3);
    process.stdout.write(`| ${gap} ms | ${at(0.5)} | ${at(0.9)} |\n`);
  }
  socket.destroy();
  child.kill();
}
