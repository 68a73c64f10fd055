from setuptools import setup

setup(name="acme-native", version="2.1.0", packages=["acme_native"], package_data={"acme_native": ["*.dll", "*.so"]})
