from setuptools import setup

setup(name="walletfmt", version="0.0.3", packages=["walletfmt"])
