import subprocess
import tempfile


def launch(url, chrome="google-chrome"):
    """Open url in a throwaway profile (a fresh temporary directory)."""
    profile = tempfile.mkdtemp(prefix="acme-")
    return subprocess.Popen([chrome, "--user-data-dir=" + profile, "--no-first-run", url])
