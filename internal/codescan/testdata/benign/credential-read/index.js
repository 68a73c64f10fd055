const fs = require('fs');
const path = require('path');

// Reads the project's own settings. Registry tokens stay in ~/.npmrc,
// which this module never opens; SSH keys (~/.ssh/id_rsa) neither.
module.exports = function load(dir) {
  const file = path.join(dir, 'acme.config.json');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
};
