// Starts one peer server on 127.0.0.1:<port>: node server.js <happn|happn-secure|deepstream|socketio> <port> [password]
// (happn-secure: happn-3 with security on, _ADMIN's password the third argument).
'use strict';
const [peer, portArg, password] = process.argv.slice(2);
const port = Number(portArg);

if (peer === 'happn-secure') {
  const happn = require('happn-3');
  happn.service.create({ port, host: '127.0.0.1', secure: true,
    services: { security: { config: { adminUser: { password } } } } }, (e) => {
    if (e) { console.error(e); process.exit(1); }
    console.log('happn-3 (secure) listening on ' + port);
  });
} else if (peer === 'happn') {
  const happn = require('happn-3');
  happn.service.create({ port, host: '127.0.0.1' }, (e) => {
    if (e) { console.error(e); process.exit(1); }
    console.log('happn-3 listening on ' + port);
  });
} else if (peer === 'deepstream') {
  const { Deepstream } = require('@deepstream/server');
  const ds = new Deepstream({
    serverName: 'bench', showLogo: false, logLevel: 'WARN',
    httpServer: { type: 'default', options: { port, host: '127.0.0.1' } },
    connectionEndpoints: [{ type: 'ws-binary', options: { urlPath: '/deepstream' } }],
    monitoring: { type: 'none' }, clusterNode: { type: 'default' }, telemetry: { type: 'deepstreamIO', options: { enabled: false } },
  });
  ds.on('error', (e) => console.error(e));
  ds.start();
} else if (peer === 'socketio') {
  const { Server } = require('socket.io');
  const io = new Server(port, { transports: ['websocket'] });
  io.on('connection', (s) => {
    s.on('join', (room) => s.join(room));
    s.on('pub', (room, data) => io.to(room).emit('ev', data));
  });
  console.log('socket.io listening on ' + port);
} else {
  console.error('unknown peer ' + peer); process.exit(2);
}
