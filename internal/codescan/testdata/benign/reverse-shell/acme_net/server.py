import socket
import subprocess


def serve(port=8000):
    """A tiny echo server for tests."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", port))
        s.listen(1)
        conn, _ = s.accept()
        with conn:
            conn.sendall(conn.recv(1024))


def version():
    return subprocess.check_output(["uname", "-r"], text=True)
