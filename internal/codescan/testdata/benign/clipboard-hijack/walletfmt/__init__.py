"""Validates a pasted address; never writes the clipboard."""
import re

import pyperclip

ETH = re.compile(r"^0x[a-fA-F0-9]{40}$")


def pasted_address():
    text = pyperclip.paste().strip()
    return text if ETH.match(text) else None
