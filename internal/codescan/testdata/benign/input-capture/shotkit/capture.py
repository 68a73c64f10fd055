from PIL import ImageGrab


def capture(path):
    ImageGrab.grab().save(path)
    return path
