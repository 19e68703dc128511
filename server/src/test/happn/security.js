// Security through the happn-3 client, against the server on argv[2] (_ADMIN password argv[3]):
// group permissions as happn writes them (glob paths, action "on"; allowed, 403 denied), token
// login, revoke-token, change-password.
// The server holds users "limited" (get/set/on on /allowed/*) and "changer" (everything on
// /changer/*), both with password argv[3] (happn-server.js, or HappnCompatTest for Switchboard).
const { check, login, run, target, until } = require('./lib');
const port = parseInt(process.argv[2], 10);
const password = process.argv[3];

async function fails(p) {
  try { await p; return null; } catch (e) { return e; }
}

run(async () => {
  const admin = await login(port, '_ADMIN', password);
  const base = '/' + Date.now();
  await admin.set('/denied' + base, { secret: 1 });

  // group permissions: allowed on /allowed/*, 403 AccessDenied elsewhere
  const u = await login(port, 'limited', password);
  let e;
  const ok = await u.set('/allowed' + base, { a: 1 });
  check('permitted set', ok.a === 1, JSON.stringify(ok));
  const got = await u.get('/allowed' + base);
  check('permitted get', got && got.a === 1, JSON.stringify(got));
  // happn's '*' in a permission path crosses '/': /allowed/* holds every depth below /allowed/
  const deep = await u.set('/allowed/deep/er' + base, { d: 1 });
  check('permitted set below /allowed/ at any depth', deep.d === 1, JSON.stringify(deep));
  const all = await u.get('/allowed/deep/*');
  check('permitted get of a glob inside the permission', Array.isArray(all) && all.length === 1, JSON.stringify(all));
  const seen = [];
  await u.on('/allowed/deep/*', { event_type: 'set' }, (data) => seen.push(data));
  await u.set('/allowed/deep/ev' + Date.now(), { e: 2 });
  await until(() => seen.length === 1, 'the event of a permitted on');
  check('permitted on (happn action "on")', seen[0].e === 2, JSON.stringify(seen));
  e = await fails(u.set('/allowedx' + base, { a: 1 }));
  check('a path beside the glob is 403', e && e.code === 403, JSON.stringify(e && { code: e.code, name: e.name }));
  e = await fails(u.set('/denied' + base, { a: 1 }));
  check('denied set is 403 AccessDenied', e && e.code === 403 && e.name === 'AccessDenied', JSON.stringify(e && { code: e.code, name: e.name, message: e.message }));
  e = await fails(u.get('/denied' + base));
  check('denied get is 403', e && e.code === 403, JSON.stringify(e && { code: e.code, name: e.name }));
  e = await fails(u.on('/denied/*', { event_type: 'set' }, () => {}));
  check('denied on is 403', e && e.code === 403, JSON.stringify(e && { code: e.code, name: e.name }));
  e = await fails(u.remove('/allowed' + base));
  check('action not granted (remove) is 403', e && e.code === 403, JSON.stringify(e && { code: e.code, name: e.name }));
  await u.disconnect();

  // token login, then revoke-token: the token no longer logs in
  const a = await login(port, 'limited', password);
  const token = a.session.token;
  const byToken = await login(port, null, null, { token, username: undefined, password: undefined });
  check('token login', byToken.session && byToken.session.user.username === 'limited', JSON.stringify(byToken.session && byToken.session.user));
  await byToken.disconnect();
  await a.revokeToken();
  e = await fails(login(port, null, null, { token, loginRetry: 0 }));
  // Switchboard answers a revoked token like any refused token (401); happn-3 says 403
  // "token has been revoked". Either stops the client's login retries (docs/compatibility.md).
  check('revoked token refused (401, happn-3: 403)', e && (target === 'happn' ? e.code === 403 : e.code === 401), JSON.stringify(e && { code: e.code, name: e.name, message: e.message }));
  await a.disconnect().catch(() => {});

  // change-password: the old password stops working, the new one logs in
  const c = await login(port, 'changer', password);
  e = await fails(c.changePassword({ oldPassword: 'not-the-password', newPassword: password + '-new' }));
  check('change-password with a wrong old password fails', e != null);
  await c.changePassword({ oldPassword: password, newPassword: password + '-new' });
  check('change-password', true);
  await c.disconnect();
  e = await fails(login(port, 'changer', password, { loginRetry: 0 }));
  check('old password refused with 401', e && e.code === 401, JSON.stringify(e && { code: e.code, name: e.name }));
  const c2 = await login(port, 'changer', password + '-new');
  check('new password logs in', c2.session && c2.session.id);
  await c2.disconnect();
  await admin.disconnect();
});
