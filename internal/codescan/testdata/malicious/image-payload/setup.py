from setuptools import setup

setup(name="pixelfx", version="0.2.0", packages=["pixelfx"])
