// Writes a key pair made as a happn-3 app makes one (happn-util-crypto: RSA 2048, PKCS#1 PEM)
// to the file argv[2] as {publicKey, privateKey}: digest.js logs in with it, and the server
// under test (happn-server.js with HAPPN_KEYS, or HappnCompatTest) registers its public key.
const Crypto = require('happn-util-crypto');
require('fs').writeFileSync(process.argv[2], JSON.stringify(new Crypto().createKeyPair()));
