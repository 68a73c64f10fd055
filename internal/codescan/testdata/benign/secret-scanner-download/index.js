// Pre-commit helpers. For secret scanning we recommend a dedicated tool
// (gitleaks or trufflehog) installed by your CI, not by this package.
exports.checkMessage = (m) => m.trim().length > 0;
