// Starts a real happn-3 server (secure, _ADMIN password argv[3]) on port argv[2] (0 = any) and prints "PORT <n>".
const happn = require('happn-3');
happn.service.create({ secure: true, port: parseInt(process.argv[2] || '0', 10),
  services: { security: { config: { adminUser: { password: process.argv[3] } } } } }, (e, svc) => {
  if (e) { console.error(e); process.exit(1); }
  const addr = svc.services.transport.happn.server.address ? svc.services.transport.happn.server.address() : null;
  console.log('PORT ' + (addr ? addr.port : process.argv[2]));
});
