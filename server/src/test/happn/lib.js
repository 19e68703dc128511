// Shared helpers for the compatibility scripts: checks, waiting on conditions, logging in.
const HappnClient = require('happn-3').client;
const state = { failed: 0 };
function check(name, cond, why) {
  if (cond) console.log('ok ' + name);
  else { state.failed++; console.log('FAIL ' + name + ': ' + (why || '')); }
}
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, what, tries = 1000) {
  for (let i = 0; i < tries; i++) { if (fn()) return true; await wait(10); }
  throw new Error('timed out waiting for ' + what);
}
function opts(port, extra) {
  const protocol = process.env.HAPPN_PROTOCOL || 'http';
  return { config: { host: '127.0.0.1', port, protocol }, secure: true, ...(extra || {}) };
}
function login(port, username, password, extra) {
  return HappnClient.create(opts(port, { username, password, ...(extra || {}) }));
}
/** Runs main(), prints its checks, exits 1 on any failure or crash. */
function run(main) {
  main().then(() => process.exit(state.failed ? 1 : 0),
    (e) => { console.log('FAIL crashed: ' + (e && e.stack || e)); process.exit(1); });
}
// happn's server decides the target for "switchboard-only"/"happn-only" checks.
const target = process.env.HAPPN_TARGET || 'switchboard';
module.exports = { HappnClient, check, wait, until, opts, login, run, state, target };
