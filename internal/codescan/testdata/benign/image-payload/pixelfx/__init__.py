"""Image statistics: histograms and mean colours, read from pixels."""
from PIL import Image


def mean_colour(path):
    img = Image.open(path).convert("RGB")
    px = list(img.getdata())
    n = len(px) or 1
    return tuple(sum(c[i] for c in px) // n for i in range(3))


def header(path):
    with open(path.replace(".txt", ".png"), "rb") as f:
        return f.read(8)
