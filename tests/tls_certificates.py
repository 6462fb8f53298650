"""A TLS certificate for a test HTTPS server on 127.0.0.1, and that server.

The certificate is made in the test: with the ``cryptography`` package when it is installed
(``http_servers.make_self_signed_cert``), else with the ``openssl`` command; with neither the
test is skipped. It is self-signed and marked as a CA, so a CA bundle holding it is trusted.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from http_servers import Reply, Script, Served, http_server, make_self_signed_cert

__all__ = ["https_server", "make_certificate"]


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """(cert, key) PEM files for 127.0.0.1 in ``folder``."""
    try:
        return make_self_signed_cert(folder)
    except ImportError:
        pass
    if shutil.which("openssl") is None:
        pytest.skip("neither the cryptography package nor the openssl command is available")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "30", "-subj", "/CN=lookup-designer test",
         "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@contextmanager
def https_server(certificate: tuple[Path, Path], script: Script | None = None) -> Iterator[Served]:
    """An HTTPS server on 127.0.0.1 presenting ``certificate``."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    with http_server(script if script is not None else Reply(), tls=context) as served:
        yield served
