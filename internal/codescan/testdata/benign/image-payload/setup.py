from setuptools import setup

setup(name="pixelstats", version="1.4.0", packages=["pixelfx"])
