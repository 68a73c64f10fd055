from setuptools import setup

setup(name="acme-net", version="1.0.0", packages=["acme_net"])
