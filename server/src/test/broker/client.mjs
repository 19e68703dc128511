// Drives the stock broker-client against Switchboard's broker SSE endpoint.
// argv: baseUrl (e.g. http://127.0.0.1:PORT/broker), username, password.
// Prints one line per check ("ok <name>" / "FAIL <name>: why") and exits 1 on any failure.
import BrokerClient from 'broker-client';

const [base, username, password] = process.argv.slice(2);
let failed = 0;
const check = (name, cond, why) => {
  if (cond) console.log('ok ' + name);
  else { failed++; console.log('FAIL ' + name + ': ' + (why || '')); }
};
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, what) {
  for (let i = 0; i < 1000; i++) { if (fn()) return; await wait(10); }
  throw new Error('timed out waiting for ' + what);
}
const post = async (route, body, headers = {}) => {
  const r = await fetch(base + route, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
};

try {
  const login = await post('/login', { username, password });
  check('login', login.status === 200 && typeof login.body.jwt === 'string', JSON.stringify(login));
  const auth = { authorization: 'Bearer ' + login.body.jwt };
  await post('/insert', { event: 'profile', data: { name: 'before' } }, auth);

  const got = { profile: [], chat: [] };
  const sse = new BrokerClient(base + '/sse', { headers: auth });
  sse.addEventListener('profile', (m) => got.profile.push(m));
  sse.addEventListener('chat', (m) => got.chat.push(m));
  await until(() => got.profile.length >= 1, 'the synced profile event');
  check('synced latest event on connect', JSON.parse(got.profile[0].data).name === 'before', got.profile[0].data);

  const ins = await post('/insert', { event: 'chat', data: { text: 'hello', n: 1 } }, auth);
  check('insert', ins.status === 200, JSON.stringify(ins));
  await until(() => got.chat.length >= 1, 'the live chat event');
  const msg = JSON.parse(got.chat[0].data);
  check('live event data', msg.text === 'hello' && msg.n === 1, got.chat[0].data);
  check('event id is the offset', /^[0-9]+$/.test(got.chat[0].lastEventId), got.chat[0].lastEventId);
  for (let i = 2; i <= 20; i++) await post('/insert', { event: 'chat', data: { n: i } }, auth);
  await until(() => got.chat.length >= 20, 'twenty chat events');
  check('twenty events in order, none twice', got.chat.map((m) => JSON.parse(m.data).n).join(',')
    === Array.from({ length: 20 }, (_, i) => i + 1).join(','), got.chat.map((m) => m.data).join(' '));
  sse.close();
} catch (e) {
  failed++;
  console.log('FAIL crashed: ' + (e && e.stack || e));
}
process.exit(failed ? 1 : 0);
