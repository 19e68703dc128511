// Node peer driver, same protocol as the Java Worker: JSON config as argv[2]; commands on stdin
// (add N, step NAME, rate R, peek, end, quit); one JSON event per line on stdout.
// Roles: sub (N subscribers on one topic), pub (open-loop publishing at a rate), load (happn:
// pipelined set/get with `window` requests in flight per client). Latency: process.hrtime
// (CLOCK_MONOTONIC, the same clock as Java's System.nanoTime on Linux) carried as `sbt`.
'use strict';
const readline = require('readline');
const cfg = JSON.parse(process.argv[2]);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const now = () => Number(process.hrtime.bigint());
const TOPIC = (cfg.path || '/fan/room');
setTimeout(() => process.exit(3), (cfg.maxSeconds || 900) * 1000).unref();

let m;
function resetWindow(name) { m = { name, startNanos: now(), count: 0, errors: 0, sent: 0, replies: 0, skipped: 0, lastNanos: 0, buckets: {} }; }
resetWindow('');
function arrived(latNs) {
  const us = Math.max(0, latNs / 1000);
  const mag = us < 100 ? 1 : Math.pow(10, Math.floor(Math.log10(us)) - 1);
  const b = Math.round(Math.round(us / mag) * mag);
  m.buckets[b] = (m.buckets[b] || 0) + 1;
  m.count++; m.lastNanos = now();
}

const clients = [];
async function connect() {
  const host = cfg.host || '127.0.0.1';
  if (cfg.peer === 'happn') {
    const happn = require('happn-3');
    return await new Promise((res, rej) => happn.client.create({ config: { host, port: cfg.port } }, (e, c) => e ? rej(e) : res(c)));
  } else if (cfg.peer === 'deepstream') {
    const { DeepstreamClient } = require('@deepstream/client');
    const c = new DeepstreamClient(`ws://${host}:${cfg.port}/deepstream`, { maxReconnectAttempts: 0 });
    await c.login();
    return c;
  } else {
    const io = require('socket.io-client');
    const c = io(`ws://${host}:${cfg.port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise((res, rej) => { c.on('connect', res); c.on('connect_error', rej); });
    return c;
  }
}

function subscribe(c) {
  const onData = (d) => { if (d && d.sbt) arrived(now() - d.sbt); };
  if (cfg.peer === 'happn') return new Promise((res, rej) => c.on(TOPIC, { event_type: 'set' }, onData, (e) => e ? rej(e) : res()));
  if (cfg.peer === 'deepstream') { c.event.subscribe(TOPIC.slice(1), onData); return Promise.resolve(); }
  c.on('ev', onData); c.emit('join', TOPIC); return Promise.resolve();
}

function publish(c, sbt) {
  m.sent++;
  const data = { sbt };
  if (cfg.peer === 'happn') c.set(TOPIC, data, { noStore: true }, (e) => { if (e) m.errors++; else m.replies++; });
  else if (cfg.peer === 'deepstream') c.event.emit(TOPIC.slice(1), data);
  else c.emit('pub', TOPIC, data);
}

async function add(n) {
  let ready = 0, failed = 0;
  const batch = 50;
  for (let i = 0; i < n; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, n - i) }, async () => {
      try {
        const c = await connect();
        if (cfg.role === 'sub') await subscribe(c);
        clients.push(c); ready++;
      } catch (e) { failed++; if (failed < 3) console.error(String(e && e.message || e)); }
    }));
  }
  return { ready, failed };
}

// pub: open loop at `rate` messages/s, intended send time carried
let rate = 0, origin = 0, issued = 0, timer = null, loadRunning = false;
function tick() {
  if (rate <= 0 || clients.length === 0) return;
  const due = Math.floor((now() - origin) * rate / 1e9);
  while (issued < due) {
    const intended = origin + Math.floor(issued * 1e9 / rate);
    issued++;
    if (m.sent - m.replies - m.errors > 20000 && cfg.peer === 'happn') { m.skipped++; continue; }
    publish(clients[issued % clients.length], intended);
  }
}

// load (happn): each client keeps `window` set/get requests in flight
function startLoad() {
  const window = cfg.window || 64, keys = cfg.keys || 100, pad = 'x'.repeat(cfg.padBytes || 64);
  clients.forEach((c, ci) => {
    let n = 0;
    const one = () => {
      if (!loadRunning) return;
      const t0 = now(); m.sent++;
      const done = (e) => { if (e) m.errors++; else arrived(now() - t0); one(); };
      if (cfg.op === 'get') c.get('/bench/hot/k' + Math.floor(Math.random() * keys), done);
      else c.set('/bench/w/c' + ci + '/k' + (n++ % 1000), { sbt: t0, pad }, done);
    };
    for (let i = 0; i < window; i++) one();
  });
}
async function seed() {
  const pad = 'x'.repeat(cfg.padBytes || 64);
  await Promise.all(Array.from({ length: cfg.keys || 100 }, (_, k) =>
    new Promise((res) => clients[0].set('/bench/hot/k' + k, { sbt: 0, pad }, res))));
}

out({ event: 'started', pid: process.pid });
const rl = readline.createInterface({ input: process.stdin });
let chain = Promise.resolve();
rl.on('line', (line) => {
  chain = chain.then(async () => {
    const [cmd, arg] = line.trim().split(/\s+/, 2);
    if (cmd === 'add') { const r = await add(Number(arg)); out({ event: 'ready', ready: r.ready, failed: r.failed, open: clients.length }); }
    else if (cmd === 'step') { resetWindow(arg || ''); out({ event: 'stepped', name: arg || '' }); }
    else if (cmd === 'rate') {
      const r = Number(arg);
      if (cfg.role === 'load') {
        if (r > 0 && cfg.op === 'get') await seed();
        loadRunning = r > 0; if (loadRunning) startLoad();
      } else {
        rate = r; origin = now(); issued = 0;
        if (!timer) timer = setInterval(tick, 1);
      }
      out({ event: 'rated', rate: r });
    } else if (cmd === 'peek') { out({ event: 'peek', count: m.count }); }
    else if (cmd === 'end') { out(Object.assign({ event: 'window', endNanos: now(), open: clients.length, closed: 0 }, m)); }
    else if (cmd === 'quit') { out({ event: 'done' }); process.exit(0); }
  });
});
rl.on('close', () => chain.then(() => process.exit(0)));
