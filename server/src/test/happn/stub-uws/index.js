throw new Error('uWebSockets.js stub: use the ws-websocket endpoint');
