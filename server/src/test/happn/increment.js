// increment(path, gauge, increment): the stored shape, the reply, the publication, and
// concurrent increments from two clients adding up exactly. argv[2] = port, argv[3] = _ADMIN password.
// Runs against Switchboard and a real happn-3 server (HappnCompatTest).
const { check, until, login, run, target } = require('./lib');
const port = parseInt(process.argv[2], 10);
const password = process.argv[3];

run(async () => {
  const a = await login(port, '_ADMIN', password);
  const b = await login(port, '_ADMIN', password);
  const watcher = await login(port, '_ADMIN', password);
  const base = '/increment/' + Date.now();
  const events = [];
  await watcher.on(base + '/*', (data, meta) => events.push({ data, meta }));

  const first = await a.increment(base + '/gauges', 'g1', 2);
  check('reply has the gauge and its value', first.value === 2 && first.gauge === 'g1', JSON.stringify(first));
  const dflt = await a.increment(base + '/gauges', 3);
  check('gauge defaults to counter', dflt.gauge === 'counter' && dflt.value === 3, JSON.stringify(dflt));
  const one = await a.increment(base + '/gauges');
  check('increment defaults to 1', one.gauge === 'counter' && one.value === 4, JSON.stringify(one));
  const down = await a.increment(base + '/gauges', 'g1', -0.5);
  check('a negative decimal decrements', down.value === 1.5, JSON.stringify(down));
  const stored = await a.get(base + '/gauges');
  check('get returns each gauge as {value}', stored && stored.g1 && stored.g1.value === 1.5
    && stored.counter && stored.counter.value === 4 && stored._meta.path === base + '/gauges', JSON.stringify(stored));

  await a.set(base + '/page', { title: 'home' });
  await a.increment(base + '/page', 'views', 1);
  const page = await a.get(base + '/page');
  check('an increment keeps the rest of the document', page.title === 'home' && page.views.value === 1, JSON.stringify(page));

  // Two clients at once, every request in flight together: nothing is lost.
  const each = 50;
  const all = [];
  for (let i = 0; i < each; i++) {
    all.push(a.increment(base + '/hits', 'n', 1));
    all.push(b.increment(base + '/hits', 'n', 1));
  }
  const replies = await Promise.all(all);
  const values = new Set(replies.map((r) => r.value));
  check('concurrent increments each see their own value', values.size === 2 * each
    && Math.max(...values) === 2 * each, JSON.stringify([...values].sort((x, y) => x - y)));
  const hits = await b.get(base + '/hits');
  check('concurrent increments add up exactly', hits.n.value === 2 * each, JSON.stringify(hits));

  const total = 4 + 2 + 2 * each; // the gauges, the page's set and increment, the hits
  await until(() => events.length >= total, total + ' events');
  const gauges = events.filter((e) => e.meta.path === base + '/gauges');
  check('a subscriber sees each increment as {value, gauge}', gauges.length === 4 && gauges[0].data.value === 2
    && gauges[0].data.gauge === 'g1' && gauges[1].data.gauge === 'counter', JSON.stringify(gauges.map((e) => e.data)));
  check('the publication is a set on the path', typeof gauges[0].meta.channel === 'string'
    && gauges[0].meta.action === '/SET@' + base + '/gauges', JSON.stringify(gauges[0].meta));
  const hitEvents = events.filter((e) => e.meta.path === base + '/hits');
  check('every concurrent increment is published', hitEvents.length === 2 * each
    && hitEvents[hitEvents.length - 1].data.value === 2 * each, String(hitEvents.length));

  if (target === 'switchboard') {
    // happn-3 adds a number to a string ("x1"); Switchboard refuses, naming the field.
    await a.set(base + '/text', { g: { value: 'x' } });
    try {
      await a.increment(base + '/text', 'g', 1);
      check('incrementing a non-number is refused', false, 'it succeeded');
    } catch (e) {
      check('incrementing a non-number is refused naming the field', e.code === 422 && /'g\.value'/.test(e.message),
        JSON.stringify({ code: e.code, message: e.message }));
    }
  }
  await a.disconnect();
  await b.disconnect();
  await watcher.disconnect();
});
