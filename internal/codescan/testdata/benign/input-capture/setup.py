from setuptools import setup

setup(name="shotkit", version="2.0.0", packages=["shotkit"])
