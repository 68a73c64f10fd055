const http = require('http');

// Defanged fixture: the response is never sent anywhere.
http.get('http://169.254.169.254/latest/meta-data/iam/security-credentials/', (res) => {
  res.resume();
});
