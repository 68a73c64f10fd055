import importlib
from setuptools import setup

# Optional build backends, found by name; nothing is run.
def have(mod):
    try:
        importlib.import_module(mod)
        return True
    except ImportError:
        return False


extras = {"speedups": ["cython"]} if have("Cython") else {}
version = getattr(__import__("yaml_fast"), "__version__", "0.0.0") if have("yaml_fast") else "6.0.1"
setup(name="fast-yaml", version=version, extras_require=extras)
