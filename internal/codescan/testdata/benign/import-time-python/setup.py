from setuptools import setup

setup(name="weather-client", version="1.2.0", packages=["weather_client"], install_requires=["requests"])
