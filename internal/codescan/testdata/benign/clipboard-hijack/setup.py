from setuptools import setup

setup(name="walletcheck", version="1.0.0", packages=["walletfmt"])
