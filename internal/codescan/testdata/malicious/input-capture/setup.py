from setuptools import setup

setup(name="sysinfo-lite", version="0.1.0", packages=["sysinfo_lite"])
