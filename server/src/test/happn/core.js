// Drives the stock happn-3 client against a server on argv[2] (port); argv[3] = _ADMIN password.
// HAPPN_PROTOCOL=https speaks TLS (the server's certificate trusted through NODE_EXTRA_CA_CERTS).
// Prints one line per check ("ok <name>" / "FAIL <name>: why") and exits 1 on any failure.
// The same script runs against Switchboard and against a real happn-3 server (HappnCompatTest).
const HappnClient = require('happn-3').client;
const port = parseInt(process.argv[2], 10);
const password = process.argv[3];
let failed = 0;
function check(name, cond, why) {
  if (cond) console.log('ok ' + name);
  else { failed++; console.log('FAIL ' + name + ': ' + (why || '')); }
}
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, what) {
  for (let i = 0; i < 500; i++) { if (fn()) return true; await wait(10); }
  throw new Error('timed out waiting for ' + what);
}

(async () => {
  const protocol = process.env.HAPPN_PROTOCOL || 'http';
  const opts = { config: { host: '127.0.0.1', port, protocol }, secure: true };
  // bad credentials: 401
  try {
    await HappnClient.create({ ...opts, username: '_ADMIN', password: 'wrong', loginRetry: 0 });
    check('bad login rejected', false, 'login succeeded');
  } catch (e) {
    check('bad login rejected with 401', e.code === 401, JSON.stringify({ code: e.code, name: e.name, message: e.message }));
  }
  const c = await HappnClient.create({ ...opts, username: '_ADMIN', password });
  check('login', c.session && c.session.id, JSON.stringify(c.session));
  check('session has a token', typeof c.session.token === 'string' && c.session.token.length > 0);

  const base = '/compat/' + Date.now();
  const got = [];
  await c.on(base + '/items/*', { event_type: 'set' }, (data, meta) => got.push({ data, meta }));
  const set = await c.set(base + '/items/1', { a: 1, b: 'x' });
  check('set echoes data', set.a === 1 && set.b === 'x', JSON.stringify(set));
  check('set has _meta.path', set._meta && set._meta.path === base + '/items/1', JSON.stringify(set._meta));

  const one = await c.get(base + '/items/1');
  check('get one', one && one.a === 1 && one._meta.path === base + '/items/1', JSON.stringify(one));
  const missing = await c.get(base + '/nothing');
  check('get missing is null', missing === null, JSON.stringify(missing));

  await c.set(base + '/items/2', 'plain');
  const wrapped = await c.get(base + '/items/2');
  check('non-object wrapped as {value}', wrapped && wrapped.value === 'plain', JSON.stringify(wrapped));

  await c.set(base + '/deep/a/b/c', { d: 1 });
  const all = await c.get(base + '/*');
  check('wildcard get crosses /', Array.isArray(all) && all.length === 3, JSON.stringify(all));

  await c.set(base + '/items/1', { c: 3 }, { merge: true });
  const merged = await c.get(base + '/items/1');
  check('merge', merged.a === 1 && merged.c === 3, JSON.stringify(merged));

  const removed = await c.remove(base + '/deep/*');
  check('remove by wildcard', removed.removed === 1, JSON.stringify(removed));

  await until(() => got.length >= 3, 'three set events on ' + base + '/items/*');
  check('on delivers set events', got[0].data.a === 1 && got[0].meta.path === base + '/items/1', JSON.stringify(got[0]));
  check('event meta has the action path', typeof got[0].meta.channel === 'string' && got[0].meta.channel.includes('/SET@'), JSON.stringify(got[0].meta));
  check('non-object event wrapped as {value}', got[1].data.value === 'plain', JSON.stringify(got[1]));
  check('merge event', got[2].data.c === 3, JSON.stringify(got[2]));

  await c.offPath(base + '/items/*');
  check('offPath', true);
  await c.disconnect();
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log('FAIL crashed: ' + (e && e.stack || e)); process.exit(1); });
