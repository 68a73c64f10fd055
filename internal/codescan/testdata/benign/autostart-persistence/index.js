// Describes cron expressions in words; it never writes a crontab.
const FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'];

function describe(expr) {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error('want 5 fields, as in crontab(5)');
  return parts.map((p, i) => (p === '*' ? 'every ' + FIELDS[i] : FIELDS[i] + ' ' + p)).join(', ');
}

// Shows where a user's own shell configuration usually lives.
const SHELL_FILES = ['~/.bashrc', '~/.zshrc'];

module.exports = { describe, SHELL_FILES };
