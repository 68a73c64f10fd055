// Sends a message to a Discord webhook the user configures.
const BASE = 'https://discord.com/api/webhooks/';

exports.notify = async function notify({ id, token }, content) {
  const res = await fetch(BASE + id + '/' + token, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ content }),
  });
  return res.ok;
};
