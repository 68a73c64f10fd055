"""Loads the library shipped inside the wheel, never a downloaded one."""
import ctypes
import os
import sys
import webbrowser

_here = os.path.dirname(__file__)
_name = "acme.dll" if sys.platform == "win32" else "libacme.so"
lib = ctypes.CDLL(os.path.join(_here, _name))


def open_docs():
    if sys.platform == "win32":
        os.system("rundll32 url.dll,FileProtocolHandler https://docs.example.invalid/acme")
    else:
        webbrowser.open("https://docs.example.invalid/acme")
