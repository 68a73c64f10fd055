// Runs a build step and streams its output; kills the whole group on timeout.
const { spawn } = require('child_process');

function run(cmd, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { detached: true, stdio: 'inherit' });
    const timer = setTimeout(() => process.kill(-child.pid, 'SIGTERM'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      code === 0 ? resolve() : reject(new Error(cmd + ' exited with ' + code));
    });
  });
}

module.exports = { run };
