// happn's HTTP routes with session tokens, against the server on argv[2] (_ADMIN password
// argv[3]), which serves the file /web/hello.txt ("hello from the app") and holds users
// "webuser" (get on /@HTTP/web/...) and "datauser" (no /@HTTP permission), password argv[3]
// (happn-http-server.js, or HappnHttpCompatTest for Switchboard). The happn-3 client logs in and
// its session token opens the file through the happn_token cookie, ?happn_token= and a Bearer header.
const { check, login, run, target } = require('./lib');
const port = parseInt(process.argv[2], 10);
const password = process.argv[3];
const base = 'http://127.0.0.1:' + port;

async function get(path, headers) {
  const r = await fetch(base + path, { headers: headers || {} });
  return { status: r.status, body: await r.text(), challenge: r.headers.get('www-authenticate') };
}

run(async () => {
  const c = await login(port, 'webuser', password);
  const token = c.session.token;
  check('login reply names the cookie', c.session.cookieName === 'happn_token', JSON.stringify(c.session.cookieName));

  let r = await get('/web/hello.txt', { Cookie: 'happn_token=' + token });
  check('file by happn_token cookie', r.status === 200 && r.body === 'hello from the app', r.status + ' ' + r.body);
  r = await get('/web/hello.txt?happn_token=' + encodeURIComponent(token));
  check('file by ?happn_token=', r.status === 200 && r.body === 'hello from the app', r.status + ' ' + r.body);
  r = await get('/web/hello.txt', { Authorization: 'Bearer ' + token });
  check('file by Bearer header', r.status === 200 && r.body === 'hello from the app', r.status + ' ' + r.body);

  r = await get('/web/hello.txt');
  check('no token is 401 happn-auth', r.status === 401 && r.challenge === 'happn-auth', r.status + ' ' + r.challenge);
  r = await get('/web/hello.txt', { Cookie: 'happn_token=not-a-token' });
  check('a bad token is 401', r.status === 401, r.status + ' ' + r.body);

  const d = await login(port, 'datauser', password);
  r = await get('/web/hello.txt', { Cookie: 'happn_token=' + d.session.token });
  check('no /@HTTP permission is 403', r.status === 403, r.status + ' ' + r.body);
  await d.disconnect();

  // A revoked token: Switchboard answers 401 (as for any token it refuses); happn-3's middleware 403.
  const t = await login(port, 'webuser', password);
  const revoked = t.session.token;
  await t.revokeToken();
  // revoke-token answers once the revocation is in effect (on both servers): refused at once.
  r = await get('/web/hello.txt', { Cookie: 'happn_token=' + revoked });
  check('revoked token refused (401, happn-3: 403)', target === 'happn' ? r.status === 403 : r.status === 401, r.status + ' ' + r.body);
  await t.disconnect().catch(() => {});

  // describe names the cookie once logged in (before login only for a browser session), as happn-3 does
  const info = await new Promise((res, rej) => c.__performSystemRequest('describe', null, null,
    (e, v) => (e ? rej(e) : res(v))));
  check('describe names the cookie after login', info.cookieName === 'happn_token', JSON.stringify(info));

  r = await get('/web/hello.txt', { Cookie: 'happn_token=' + token });
  check('the other session still works', r.status === 200, r.status + ' ' + r.body);
  await c.disconnect();
});
