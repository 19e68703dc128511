// Starts a real happn-3 server (secure, _ADMIN password argv[3]) on port argv[2] (0 = any) with
// the web files of directory argv[4] mounted at /web on its connect app, as a happn app does, and
// prints "PORT <n>". Users for http.js (password argv[3]): "webuser" in group "web" (get on
// /@HTTP/web/*), "datauser" in group "data" (get on /data/* only).
const happn = require('happn-3');
const serveStatic = require('serve-static');
const pw = process.argv[3];
const dir = process.argv[4];
happn.service.create({ secure: true, port: parseInt(process.argv[2] || '0', 10),
  services: { security: { config: { adminUser: { password: pw } } } } }, async (e, svc) => {
  if (e) { console.error(e); process.exit(1); }
  try {
    svc.connect.use('/web', serveStatic(dir));
    const sec = svc.services.security;
    const web = await sec.groups.upsertGroup({ name: 'web', permissions: { '/@HTTP/web/*': { actions: ['get'] } } });
    const u = await sec.users.upsertUser({ username: 'webuser', password: pw });
    await sec.groups.linkGroup(web, u);
    const data = await sec.groups.upsertGroup({ name: 'data', permissions: { '/data/*': { actions: ['get'] } } });
    const d = await sec.users.upsertUser({ username: 'datauser', password: pw });
    await sec.groups.linkGroup(data, d);
  } catch (err) { console.error(err); process.exit(1); }
  const addr = svc.services.transport.happn.server.address ? svc.services.transport.happn.server.address() : null;
  console.log('PORT ' + (addr ? addr.port : process.argv[2]));
});
