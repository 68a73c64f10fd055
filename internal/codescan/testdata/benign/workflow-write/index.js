const fs = require('fs');
const path = require('path');

// Lists the workflow files of a repository for linting; reads only.
exports.workflows = function workflows(repo) {
  const dir = path.join(repo, '.github/workflows');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
};
