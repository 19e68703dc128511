// Starts a real happn-3 server (secure, _ADMIN password argv[3]) on port argv[2] (0 = any) and prints "PORT <n>".
// It also holds the users security.js expects: "limited" (password argv[3]) in group "limited"
// with get/set/on on /allowed/* only, and "changer" (password argv[3]) with everything on /changer/*;
// with $HAPPN_KEYS (a keypair.js file) also "digester", whose publicKey is that file's.
const happn = require('happn-3');
const pw = process.argv[3];
happn.service.create({ secure: true, port: parseInt(process.argv[2] || '0', 10),
  services: { security: { config: { adminUser: { password: pw } } } } }, async (e, svc) => {
  if (e) { console.error(e); process.exit(1); }
  try {
    const sec = svc.services.security;
    const limited = await sec.groups.upsertGroup({ name: 'limited',
      permissions: { '/allowed/*': { actions: ['get', 'set', 'on'] } } });
    const user = await sec.users.upsertUser({ username: 'limited', password: pw });
    await sec.groups.linkGroup(limited, user);
    const changers = await sec.groups.upsertGroup({ name: 'changers', permissions: { '/changer/*': { actions: ['*'] } } });
    const changer = await sec.users.upsertUser({ username: 'changer', password: pw });
    await sec.groups.linkGroup(changers, changer);
    if (process.env.HAPPN_KEYS) {
      const keys = JSON.parse(require('fs').readFileSync(process.env.HAPPN_KEYS, 'utf8'));
      await sec.users.upsertUser({ username: 'digester', publicKey: keys.publicKey });
    }
  } catch (err) { console.error(err); process.exit(1); }
  const addr = svc.services.transport.happn.server.address ? svc.services.transport.happn.server.address() : null;
  console.log('PORT ' + (addr ? addr.port : process.argv[2]));
});
