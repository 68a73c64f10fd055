from setuptools import setup, find_packages

# Build helper for projects that obfuscate their own code before release;
# it only writes the PyArmor command line, nothing here is packed.
setup(
    name="acme-fast",
    version="0.3.1",
    packages=find_packages(),
    description="Wraps the pyarmor command line (pyarmor gen, pyarmor cfg) for CI pipelines",
)
