const { spawn } = require('child_process');

// Passes the environment on to the child, plus one variable.
exports.run = function run(cmd, args) {
  return spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '1' } });
};

// Settings from variables with our prefix only.
exports.settings = function settings() {
  return Object.keys(process.env)
    .filter((k) => k.startsWith('ACME_'))
    .reduce((o, k) => ({ ...o, [k.slice(5).toLowerCase()]: process.env[k] }), {});
};
