"""Ports for the services these tests start: this lane's 547xx range, skipping ports that are
taken (an outgoing connection may hold one of them for a while)."""

import socket

_given = set()


def free_port(start=54700, end=54800):
    for port in range(start, end):
        if port in _given:
            continue
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given.add(port)
        return port
    raise RuntimeError(f"no free port in {start}-{end}")
