"""The GUI tests' name for the shared test servers; the one implementation is ``tests/http_servers.py``."""

from __future__ import annotations

from http_servers import Arrived, Reply, Served, closed_port_url, http_server, silent_server

__all__ = ["Arrived", "Reply", "Served", "closed_port_url", "http_server", "silent_server"]
