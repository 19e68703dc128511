// Digest login and disconnect-child-sessions through the happn-3 client, against the server on
// argv[2] (_ADMIN password argv[3]). The server holds user "digester" whose publicKey is the one
// in the file $HAPPN_KEYS (keypair.js), and "limited" with password argv[3].
const Crypto = require('happn-util-crypto');
const { check, login, opts, run, until, HappnClient, target } = require('./lib');
const port = parseInt(process.argv[2], 10);
const password = process.argv[3];
const keyPair = JSON.parse(require('fs').readFileSync(process.env.HAPPN_KEYS, 'utf8'));

async function fails(p) {
  try { await p; return null; } catch (e) { return e; }
}
const digestLogin = (username, pair, extra) =>
  HappnClient.create(opts(port, { username, keyPair: pair, loginRetry: 0, ...(extra || {}) }));
const describe = (e) => JSON.stringify(e && { code: e.code, name: e.name, message: e.message });

run(async () => {
  // digest login: request-nonce {publicKey} → nonce, login {username, publicKey, digest}
  const d = await digestLogin('digester', keyPair);
  check('digest login', d.session && d.session.user.username === 'digester', JSON.stringify(d.session && d.session.user));
  check('digest login issues a token', typeof d.session.token === 'string' && d.session.token.length > 0);
  const byToken = await login(port, null, null, { token: d.session.token });
  check('the digest login\'s token logs in', byToken.session.user.username === 'digester');
  await byToken.disconnect();
  await d.disconnect();

  const other = new Crypto().createKeyPair();
  let e = await fails(digestLogin('digester', other));
  check('a key that is not the user\'s is 401', e && e.code === 401, describe(e));
  e = await fails(digestLogin('digester', { publicKey: keyPair.publicKey, privateKey: other.privateKey }));
  // Switchboard names it InvalidCredentials like any failed login; happn-3 says AccessDenied (401 both).
  check('a bad signature is 401 InvalidCredentials (happn-3: AccessDenied)',
    e && e.code === 401 && e.name === (target === 'happn' ? 'AccessDenied' : 'InvalidCredentials'), describe(e));
  e = await fails(digestLogin('nobody-here', keyPair));
  check('an unknown user is 401', e && e.code === 401, describe(e));

  // disconnect-child-sessions: the sessions that logged in with the parent's token end with
  // server-side-disconnect (token-revoked); the parent and an unrelated login stay.
  const parent = await login(port, 'limited', password);
  const child = await login(port, null, null, { token: parent.session.token });
  const unrelated = await login(port, 'limited', password);
  const ended = [];
  child.onEvent('session-ended', (data) => ended.push(data));
  let unrelatedEnded = false;
  unrelated.onEvent('session-ended', () => { unrelatedEnded = true; });
  await new Promise((resolve, reject) => parent.__performSystemRequest('disconnect-child-sessions', null, null,
    (err) => (err ? reject(err) : resolve())));
  await until(() => ended.length > 0, 'the child session to end');
  check('child session ended with token-revoked', ended[0] && ended[0].reason === 'token-revoked', JSON.stringify(ended));
  const stillThere = await parent.get('/allowed/child-check');
  check('the parent session stays', stillThere === null || typeof stillThere === 'object');
  await unrelated.get('/allowed/child-check');
  check('an unrelated login stays', !unrelatedEnded);
  // The children's token is not revoked: a new token login still works.
  const again = await login(port, null, null, { token: parent.session.token });
  check('the token still logs in', again.session && again.session.user.username === 'limited');
  await again.disconnect();
  await child.disconnect().catch(() => {});
  await unrelated.disconnect();
  // disconnect({disconnectChildSessions: true}) asks the same before closing.
  const p2 = await login(port, 'limited', password);
  const c2 = await login(port, null, null, { token: p2.session.token });
  let c2Ended = null;
  c2.onEvent('session-ended', (data) => { c2Ended = data; });
  await p2.disconnect({ disconnectChildSessions: true });
  await until(() => c2Ended != null, 'disconnect({disconnectChildSessions}) to end the child');
  check('disconnect({disconnectChildSessions: true}) ends the child', c2Ended.reason === 'token-revoked', JSON.stringify(c2Ended));
  await c2.disconnect().catch(() => {});
  await parent.disconnect();

  // happn's HTTP auth routes: {message, data, error}, query aliases, digest over HTTP.
  const base = 'http://127.0.0.1:' + port;
  const getJson = async (path) => {
    const r = await fetch(base + path);
    return { status: r.status, body: await r.json() };
  };
  let r = await getJson('/auth/login?username=limited&password=' + encodeURIComponent(password));
  check('HTTP login', r.status === 200 && r.body.message === 'login successful' && typeof r.body.data === 'string'
    && r.body.error === null, JSON.stringify(r));
  const httpToken = r.body.data;
  if (target === 'happn') {
    // happn-3 refuses a socket login with a token an HTTP (stateless) login made
    const refused = await fails(login(port, null, null, { token: httpToken, loginRetry: 0 }));
    check('happn-3: an HTTP login\'s token does not log in over the socket', refused != null);
  } else {
    const viaToken = await login(port, null, null, { token: httpToken });
    check('the HTTP login\'s token logs in over the socket', viaToken.session.user.username === 'limited');
    await viaToken.disconnect();
  }
  r = await getJson('/auth/login?u=limited&p=' + encodeURIComponent(password));
  check('HTTP login with happn\'s short names', r.status === 200 && typeof r.body.data === 'string', JSON.stringify(r));
  r = await getJson('/auth/login?username=limited&password=wrong-one');
  check('HTTP login with a bad password is 401 login failed', r.status === 401 && r.body.message === 'login failed'
    && r.body.data === null && r.body.error != null, JSON.stringify(r));
  r = await getJson('/auth/login?happn_token=' + encodeURIComponent(httpToken));
  check('HTTP login by token', r.status === 200 && typeof r.body.data === 'string', JSON.stringify(r));
  r = await getJson('/auth/request-nonce?publicKey=' + encodeURIComponent(keyPair.publicKey));
  check('HTTP request-nonce', r.status === 200 && r.body.message === 'nonce generated' && typeof r.body.data === 'string',
    JSON.stringify(r));
  const digest = new Crypto().sign(r.body.data, keyPair.privateKey);
  r = await getJson('/auth/login?username=digester&publicKey=' + encodeURIComponent(keyPair.publicKey)
    + '&digest=' + encodeURIComponent(digest));
  check('HTTP digest login', r.status === 200 && typeof r.body.data === 'string', JSON.stringify(r));
  r = await getJson('/auth/login?username=digester&publicKey=' + encodeURIComponent(keyPair.publicKey)
    + '&digest=' + encodeURIComponent(digest));
  // Switchboard's nonces are single use; happn-3 accepts the same digest again until its nonce expires.
  check('an HTTP nonce is used once (happn-3: reusable until it expires)',
    target === 'happn' ? r.status === 200 : r.status === 401, JSON.stringify(r));
  const lo = await fetch(base + '/auth/logout', { headers: { Cookie: 'happn_token=' + httpToken } });
  check('HTTP logout is refused by default (403)', lo.status === 403, String(lo.status));
});
