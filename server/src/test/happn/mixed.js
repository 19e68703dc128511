// Mixed clients on one Switchboard (argv[2] port, argv[3] admin password): a happn-3 client and
// a native WebSocket client (/ws) see each other's writes and events. Switchboard-only.
const WebSocket = require('ws');
const { check, until, login, run } = require('./lib');
const port = parseInt(process.argv[2], 10);
const password = process.argv[3];

function nativeClient() {
  const ws = new WebSocket('ws://127.0.0.1:' + port + '/ws');
  const replies = new Map();
  const pushes = [];
  let next = 1;
  ws.on('message', (buf) => {
    for (const line of buf.toString().split('\n')) {
      if (!line) continue;
      const m = JSON.parse(line);
      if (m.id !== undefined && replies.has(m.id)) { replies.get(m.id)(m); replies.delete(m.id); }
      else if (m.sub) pushes.push(m);
    }
  });
  const call = (msg) => new Promise((res, rej) => {
    const id = next++;
    replies.set(id, (m) => (m.ok ? res(m.result) : rej(new Error(JSON.stringify(m.error)))));
    ws.send(JSON.stringify({ id, ...msg }));
  });
  return new Promise((res, rej) => { ws.on('open', () => res({ ws, call, pushes })); ws.on('error', rej); });
}

run(async () => {
  const base = '/mixed/' + Date.now();
  const h = await login(port, '_ADMIN', password);
  const n = await nativeClient();
  await n.call({ op: 'connect', username: 'admin', password });

  const happnEvents = [];
  await h.on(base + '/*', { event_type: 'all' }, (d, m) => happnEvents.push({ d, m }));
  await n.call({ op: 'subscribe', pattern: base + '/*' });

  // native writes: the happn client sees the event and reads the document
  await n.call({ op: 'set', path: base + '/from-native', data: { by: 'native' } });
  await until(() => happnEvents.some((e) => e.m.path === base + '/from-native'), 'the native write on the happn client');
  const ev = happnEvents.find((e) => e.m.path === base + '/from-native');
  check('happn client gets a native write as a set event', ev.d.by === 'native' && ev.m.action === '/SET@' + base + '/from-native', JSON.stringify(ev));
  const read = await h.get(base + '/from-native');
  check('happn client reads a native write', read && read.by === 'native', JSON.stringify(read));

  // happn writes: the native client sees the event and reads the document
  await h.set(base + '/from-happn', { by: 'happn' });
  await until(() => n.pushes.some((p) => p.event.path === base + '/from-happn'), 'the happn write on the native client');
  const push = n.pushes.find((p) => p.event.path === base + '/from-happn');
  check('native client gets a happn write', push.event.type === 'set' && push.event.data.by === 'happn', JSON.stringify(push));
  const doc = await n.call({ op: 'get', path: base + '/from-happn' });
  check('native client reads a happn write', doc && doc.data && doc.data.by === 'happn', JSON.stringify(doc));

  // removes cross too
  await n.call({ op: 'remove', path: base + '/from-happn' });
  await until(() => happnEvents.some((e) => e.m.action === '/REMOVE@' + base + '/from-happn'), 'the native remove on the happn client');
  check('happn client gets a native remove', true);
  await h.remove(base + '/from-native');
  await until(() => n.pushes.some((p) => p.event.type === 'remove' && p.event.path === base + '/from-native'), 'the happn remove on the native client');
  check('native client gets a happn remove', true);

  n.ws.close();
  await h.disconnect();
});
