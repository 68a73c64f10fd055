from setuptools import setup

setup(name="acme-browser", version="1.0.0", packages=["acme_browser"])
