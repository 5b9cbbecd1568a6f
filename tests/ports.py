"""A port on 127.0.0.1 that nothing listens on: for a server a test starts there, or
for an address that refuses connections."""

import socket


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
