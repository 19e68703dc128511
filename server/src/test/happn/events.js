// on options (event_type, count, initialCallback, initialEmit, meta, merge, depth), off by
// reference, offAll, set noDataResponse and consistency 1 and 3 (onPublished, acks), against
// the server on argv[2] as _ADMIN with password argv[3]. Run against both servers by HappnCompatTest.
const { check, until, login, run } = require('./lib');
const port = parseInt(process.argv[2], 10);
const password = process.argv[3];

run(async () => {
  const c = await login(port, '_ADMIN', password);
  const w = await login(port, '_ADMIN', password);
  const base = '/events/' + Date.now();

  // event_type
  const sets = [], removes = [], alls = [];
  await c.on(base + '/t/*', { event_type: 'set' }, (d, m) => sets.push(m));
  await c.on(base + '/t/*', { event_type: 'remove' }, (d, m) => removes.push({ d, m }));
  await c.on(base + '/t/*', { event_type: 'all' }, (d, m) => alls.push(m));
  await w.set(base + '/t/1', { a: 1 });
  await w.remove(base + '/t/1');
  await until(() => sets.length >= 1 && removes.length >= 1 && alls.length >= 2, 'set/remove/all events');
  check('event_type set gets only sets', sets.length === 1 && sets[0].action === '/SET@' + base + '/t/1', JSON.stringify(sets));
  check('event_type remove gets only removes', removes.length === 1 && removes[0].m.action === '/REMOVE@' + base + '/t/1', JSON.stringify(removes));
  check('remove event data is {removed}', removes[0].d.removed === 1, JSON.stringify(removes[0].d));
  check('event_type all gets both', alls.length === 2 && alls[1].action.startsWith('/REMOVE@'), JSON.stringify(alls));
  check('remove event channel', removes[0].m.channel === '/REMOVE@' + base + '/t/*', removes[0].m.channel);
  check('all event channel', alls[0].channel === '/ALL@' + base + '/t/*', alls[0].channel);

  // count: the listener goes after two events
  const counted = [];
  await c.on(base + '/c', { event_type: 'set', count: 2 }, (d) => counted.push(d.n));
  const after = [];
  await c.on(base + '/c', { event_type: 'set' }, (d) => after.push(d.n));
  for (let n = 1; n <= 4; n++) await w.set(base + '/c', { n });
  await until(() => after.length >= 4, 'four events on the uncounted listener');
  check('count stops after two events', JSON.stringify(counted) === '[1,2]', JSON.stringify(counted));

  // initialCallback / initialEmit
  await w.set(base + '/i/1', { v: 1 });
  await w.set(base + '/i/2', { v: 2 });
  const initial = await new Promise((res, rej) => c.on(base + '/i/*', { event_type: 'set', initialCallback: true },
    () => {}, (e, id, items) => (e ? rej(e) : res(items))));
  check('initialCallback returns current items', Array.isArray(initial) && initial.length === 2
    && initial.map((i) => i.v).sort().join() === '1,2', JSON.stringify(initial));
  check('initialCallback items carry _meta.path', initial.every((i) => i._meta && i._meta.path.startsWith(base + '/i/')), JSON.stringify(initial));
  const emitted = [];
  await c.on(base + '/i/*', { event_type: 'set', initialEmit: true }, (d) => emitted.push(d));
  await until(() => emitted.length >= 2, 'initialEmit items');
  check('initialEmit emits current items', emitted.map((i) => i.v).sort().join() === '1,2', JSON.stringify(emitted));

  // custom meta on a set reaches subscribers; merge subscribers get only the partial data
  // (the merge subscriber is another client: one session gets one frame per channel, shared by its listeners)
  const metas = [], merges = [];
  const mc = await login(port, '_ADMIN', password);
  await c.on(base + '/m', { event_type: 'set' }, (d, m) => metas.push({ d, m }));
  await mc.on(base + '/m', { event_type: 'set', merge: true }, (d) => merges.push(d));
  await w.set(base + '/m', { a: 1, b: 2 }, { meta: { tag: 'x', path: '/not/this' } });
  await w.set(base + '/m', { c: 3 }, { merge: true });
  await until(() => metas.length >= 2 && merges.length >= 2, 'meta and merge events');
  check('custom meta reaches subscribers', metas[0].m.tag === 'x', JSON.stringify(metas[0].m));
  check('reserved meta keys are ignored', metas[0].m.path === base + '/m', JSON.stringify(metas[0].m));
  check('full subscriber sees merged data', metas[1].d.a === 1 && metas[1].d.c === 3, JSON.stringify(metas[1].d));
  check('merge subscriber sees only the partial data', merges[1].c === 3 && merges[1].a === undefined, JSON.stringify(merges[1]));
  await mc.disconnect();

  // depth for a trailing /**
  const deep = [];
  await c.on(base + '/d/**', { event_type: 'set', depth: 2 }, (d, m) => deep.push(m.path));
  const marker = [];
  await c.on(base + '/d/marker', { event_type: 'set' }, () => marker.push(1));
  await w.set(base + '/d/1', { x: 1 });
  await w.set(base + '/d/1/2', { x: 1 });
  await w.set(base + '/d/1/2/3', { x: 1 });
  await w.set(base + '/d/marker', { x: 1 });
  await until(() => marker.length >= 1, 'the marker event');
  await until(() => deep.length >= 3, 'depth events');
  check('depth 2 limits a trailing /**', JSON.stringify(deep) === JSON.stringify([base + '/d/1', base + '/d/1/2', base + '/d/marker']), JSON.stringify(deep));

  // off by reference keeps the other listener on the same path
  const first = [], second = [];
  const ref1 = await c.on(base + '/o', { event_type: 'set' }, (d) => first.push(d.n));
  await c.on(base + '/o', { event_type: 'set' }, (d) => second.push(d.n));
  await w.set(base + '/o', { n: 1 });
  await until(() => first.length >= 1 && second.length >= 1, 'both listeners');
  await c.off(ref1);
  await w.set(base + '/o', { n: 2 });
  await until(() => second.length >= 2, 'the second listener after off');
  check('off by reference', JSON.stringify(first) === '[1]' && JSON.stringify(second) === '[1,2]', JSON.stringify({ first, second }));

  // noDataResponse
  const ndr = await w.set(base + '/ndr', { big: 'x' }, { noDataResponse: true });
  check('noDataResponse leaves out the data', ndr && ndr.big === undefined && ndr._meta && ndr._meta.path === base + '/ndr', JSON.stringify(ndr));

  // consistency 1 (deferred) still publishes
  const deferred = [];
  await c.on(base + '/k1', { event_type: 'set' }, (d, m) => deferred.push(m));
  const deferredResults = await new Promise((res, rej) => {
    w.set(base + '/k1', { a: 1 }, { consistency: 1, onPublished: (e, results) => (e ? rej(e) : res(results)) },
      (e) => { if (e) rej(e); });
  });
  await until(() => deferred.length >= 1, 'deferred event');
  check('consistency 1 event', deferred[0].consistency === 1, JSON.stringify(deferred[0]));
  check('consistency 1 onPublished results', deferredResults && deferredResults.successful === 1, JSON.stringify(deferredResults));

  // consistency 3: the subscriber acks, the writer's onPublished gets the results
  const acked = [];
  await c.on(base + '/k3', { event_type: 'set' }, (d, m) => acked.push(m));
  const published = await new Promise((res, rej) => {
    w.set(base + '/k3', { a: 1 }, { consistency: 3, onPublished: (e, results) => (e ? rej(e) : res(results)) },
      (e) => { if (e) rej(e); });
  });
  await until(() => acked.length >= 1, 'the acknowledged event');
  check('consistency 3 event carries consistency 3', acked.length === 1 && acked[0].consistency === 3, JSON.stringify(acked));
  check('onPublished results', published && published.successful === 1 && published.acknowledged === 1 && published.failed === 0,
    JSON.stringify(published));

  // offAll: nothing more arrives
  await c.offAll();
  const afterOff = [];
  await c.on(base + '/after', { event_type: 'set' }, () => afterOff.push(1));
  await w.set(base + '/o', { n: 3 });
  await w.set(base + '/after', { n: 1 });
  await until(() => afterOff.length >= 1, 'the listener made after offAll');
  check('offAll removed every listener', second.length === 2, JSON.stringify(second));

  await c.disconnect();
  await w.disconnect();
});
