"""Helpers around the PyArmor command line tool."""
import shlex

PYARMOR = "pyarmor"


def gen_command(src, out="dist"):
    # "pyarmor gen" writes packed scripts and the pyarmor runtime package.
    return shlex.join([PYARMOR, "gen", "-O", out, src])
