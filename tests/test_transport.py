"""Transport safety against real servers on 127.0.0.1: TLS verification, CA bundles, proxies.

The HTTPS server uses a certificate made in the test (``tls_certificates``). Verification is on
by default and refuses it with a TLS message; turning verification off works and is reported as
a note (also by ``lookup-designer run``); a CA bundle holding the certificate is trusted.
Proxies: a tiny forward proxy (an HTTP server that answers absolute-form requests itself) shows
which way each setting sends the request.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_servers import Arrived, Reply, Served, http_server
from tls_certificates import https_server as https
from tls_certificates import make_certificate

from designer.cli import main as cli_main
from designer.core.config import LookupConfig, Request, ResponseSpec, Transport
from designer.core.errors import TlsError
from designer.core.model_types import Inputs
from designer.core.project_io import save_config
from designer.core.runtime import LookupResult, lookup_sync, production_host

CUSTOMERS = b'[{"id": "K1", "name": "Ada Jensen"}]'
VIA_PROXY = b'[{"id": "VIA-PROXY"}]'
TLS_OFF_NOTE = "TLS certificate verification is OFF"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def https_server(certificate: tuple[Path, Path]) -> Iterator[Served]:
    with https(certificate, Reply(body=CUSTOMERS)) as served:
        yield served


def _config(url: str, **transport: object) -> LookupConfig:
    return LookupConfig(
        request=Request(url=url, transport=Transport.model_validate(transport)),
        response=ResponseSpec(records_path="$[*]", fields={"identifier": {"paths": ["$.id"]}}),  # type: ignore[dict-item]
    )


def _lookup(config: LookupConfig) -> LookupResult:
    return lookup_sync(config, Inputs("ada"))


def _ids(result: LookupResult) -> list[str]:
    return [c.identifier for c in result.customers]


def test_verification_is_on_by_default_and_refuses_a_self_signed_certificate(https_server: Served) -> None:
    assert Transport().verify_tls is True
    result = _lookup(_config(https_server.url + "/customers"))
    assert isinstance(result.error, TlsError)
    assert "certificate" in result.error.message and "127.0.0.1" in result.error.message
    assert "CA bundle" in result.error.message  # says what to do about it
    assert not any(TLS_OFF_NOTE in note for note in result.notes)


def test_verification_off_works_and_says_so(https_server: Served) -> None:
    result = _lookup(_config(https_server.url + "/customers", verify_tls=False))
    assert result.error is None, result.error
    assert _ids(result) == ["K1"]
    assert any(TLS_OFF_NOTE in note for note in result.notes)


def test_a_ca_bundle_with_the_certificate_is_trusted(
    https_server: Served, certificate: tuple[Path, Path]
) -> None:
    result = _lookup(_config(https_server.url + "/customers", ca_bundle=str(certificate[0])))
    assert result.error is None, result.error
    assert _ids(result) == ["K1"]
    assert result.notes == ()


def test_an_unusable_ca_bundle_is_explained(https_server: Served, tmp_path: Path) -> None:
    result = _lookup(_config(https_server.url + "/customers", ca_bundle=str(tmp_path / "missing.pem")))
    assert isinstance(result.error, TlsError)
    assert "missing.pem" in result.error.message and "cannot be used" in result.error.message


class _ForwardProxy:
    """Answers every absolute-form request (``GET http://host/path``) itself, as a proxy would."""

    def __call__(self, arrived: Arrived) -> Reply:
        if not arrived.target.startswith("http://"):  # only a proxy is sent these
            return Reply(status=400, body=b'{"error": "not a proxy request"}')
        return Reply(body=VIA_PROXY)


@pytest.fixture
def proxy() -> Iterator[Served]:
    with http_server(_ForwardProxy()) as served:
        yield served


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def test_a_custom_proxy_carries_the_request(proxy: Served, no_proxy_env: pytest.MonkeyPatch) -> None:
    result = _lookup(_config("http://merchant.invalid/customers?x=1", proxy=proxy.url))
    assert result.error is None, result.error
    assert _ids(result) == ["VIA-PROXY"]
    assert proxy.last.target == "http://merchant.invalid/customers?x=1"


def test_the_system_proxy_is_honoured_unless_the_project_says_direct(
    proxy: Served, no_proxy_env: pytest.MonkeyPatch
) -> None:
    with http_server(Reply(body=CUSTOMERS)) as merchant:
        no_proxy_env.setenv("HTTP_PROXY", proxy.url)
        system = _lookup(_config(merchant.url + "/customers"))
        assert _ids(system) == ["VIA-PROXY"]
        assert proxy.last.target == merchant.url + "/customers"
        assert merchant.requests == []
        direct = _lookup(_config(merchant.url + "/customers", use_system_proxy=False))
        assert _ids(direct) == ["K1"]
        assert [r.target for r in merchant.requests] == ["/customers"]
    assert len(proxy.requests) == 1


def test_production_hosts_match_the_url_host_case_insensitively() -> None:
    config = LookupConfig(production_hosts=[" API.Shop.example ", ""])
    assert production_host(config, "https://api.shop.example/v1/customers") == "api.shop.example"
    assert production_host(config, "https://test.shop.example/v1") is None
    assert production_host(config, "not a url at all") is None


def test_run_prints_the_tls_and_production_notes(
    https_server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(https_server.url + "/customers", verify_tls=False).model_copy(
        update={"production_hosts": ["127.0.0.1"]}
    )
    path = tmp_path / "prod.json"
    save_config(config, path)
    assert cli_main(["run", str(path), "--search-term", "ada", "--compact"]) == 0
    out, err = capsys.readouterr()
    assert [c["identifier"] for c in json.loads(out)] == ["K1"]
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert any(TLS_OFF_NOTE in n for n in notes), err
    assert any("PRODUCTION: 127.0.0.1" in n for n in notes), err
    assert TLS_OFF_NOTE not in out and "PRODUCTION" not in out  # stdout is only the list
