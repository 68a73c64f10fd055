import subprocess
from setuptools import setup

# Read the version without importing the package: exec(open(...).read()) is
# the usual idiom and runs only our own file.
about = {}
exec(open("acme_utils/version.py").read(), about)


def git_revision():
    """Return the git revision, or "" outside a checkout."""
    try:
        return subprocess.check_output(["git", "rev-parse", "HEAD"], text=True).strip()
    except Exception:
        return ""


setup(
    name="acme-utils",
    version=about["__version__"],
    packages=["acme_utils"],
    # Never: subprocess.call("curl ... | sh") in a setup.py.
)
