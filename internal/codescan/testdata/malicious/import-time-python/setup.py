from setuptools import setup

setup(name="colorama-plus", version="0.4.7", packages=["colorama_plus"])
