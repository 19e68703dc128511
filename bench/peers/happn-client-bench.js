// The happn-3 client against one server (happn-3 or Switchboard's happn door), run by the bench's
// "happn" scenario: `node happn-client-bench.js <port> <_ADMIN password> <label> [out file]`.
// Sequential and pipelined sets/s and gets/s, and events/s delivered to 100 `on` subscribers
// (each on its own client). Prints one JSON line and appends it to the out file.
const fs = require('fs');
const HappnClient = require('happn-3').client;
const login = (port, username, password) => HappnClient.create({ config: { host: '127.0.0.1', port }, secure: true,
  username, password });
const [port, password, label, out] = [parseInt(process.argv[2], 10), process.argv[3], process.argv[4] || 'server',
  process.argv[5] || require('path').join(require('os').tmpdir(), 'happn-bench.jsonl')];
const N = parseInt(process.env.BENCH_N || '2000', 10);
const SUBS = parseInt(process.env.BENCH_SUBS || '100', 10);
const EVENTS = parseInt(process.env.BENCH_EVENTS || '200', 10);

async function rate(n, fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Math.round(n / (Number(process.hrtime.bigint() - t0) / 1e9));
}

(async () => {
  const c = await login(port, '_ADMIN', password);
  const base = '/bench/' + Date.now();
  const r = { label, n: N };
  for (let i = 0; i < 200; i++) await c.set(base + '/warm/' + i, { i }); // warm up
  r.sequentialSets = await rate(N, async () => { for (let i = 0; i < N; i++) await c.set(base + '/s/' + i, { i, v: 'x' }); });
  r.pipelinedSets = await rate(N, () => Promise.all(Array.from({ length: N }, (_, i) => c.set(base + '/p/' + i, { i, v: 'x' }))));
  r.sequentialGets = await rate(N, async () => { for (let i = 0; i < N; i++) await c.get(base + '/s/' + i); });
  r.pipelinedGets = await rate(N, () => Promise.all(Array.from({ length: N }, (_, i) => c.get(base + '/s/' + i))));
  const subs = [];
  let got = 0;
  for (let i = 0; i < SUBS; i++) {
    const s = await login(port, '_ADMIN', password);
    await s.on(base + '/fan', { event_type: 'set' }, () => { got++; });
    subs.push(s);
  }
  const total = SUBS * EVENTS;
  r.subscribers = SUBS;
  r.eventsPublished = EVENTS;
  r.eventsDeliveredPerSec = await rate(total, async () => {
    await Promise.all(Array.from({ length: EVENTS }, (_, i) => c.set(base + '/fan', { i })));
    while (got < total) await new Promise((res) => setTimeout(res, 5));
  });
  console.log(JSON.stringify(r));
  fs.appendFileSync(out, JSON.stringify(r) + '\n');
  for (const s of subs) await s.disconnect();
  await c.disconnect();
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
