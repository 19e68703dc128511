// Reconnect after a server restart (argv[2] port, argv[3] _ADMIN password): the client prints
// READY, the test restarts Switchboard on the same port and data dir, the client reconnects on
// its own, logs in again, resubscribes and keeps receiving; what was written before is still there.
// Switchboard-only: the happn-3 test server keeps its data in memory.
const { check, until, login, run } = require('./lib');
const port = parseInt(process.argv[2], 10);
const password = process.argv[3];

run(async () => {
  const base = '/reconnect/' + Date.now();
  const c = await login(port, '_ADMIN', password, { reconnect: { max: 500 } });
  const events = [];
  await c.on(base + '/*', { event_type: 'set' }, (d, m) => events.push(m.path));
  await c.set(base + '/before', { n: 1 });
  await until(() => events.length >= 1, 'the event before the restart');
  let reconnected = 0;
  c.onEvent('reconnect-successful', () => reconnected++);
  console.log('READY');
  await until(() => reconnected >= 1, 'reconnect-successful after the restart', 6000);
  check('client reconnected', true);
  const w = await login(port, '_ADMIN', password);
  await w.set(base + '/after', { n: 2 });
  await until(() => events.includes(base + '/after'), 'an event after the restart', 3000);
  check('resubscribed: events keep arriving', true);
  const before = await c.get(base + '/before');
  check('data written before the restart is still there', before && before.n === 1, JSON.stringify(before));
  await w.disconnect();
  await c.disconnect();
});
