"""The one secrets chain: embedded → typed this session → environment → OS keyring → file.

The window and ``lookup-designer run`` both resolve through ``default_resolver``; these tests pin
the order, the "where does it come from" answer the Credentials dialog shows, and that no error
message ever carries a value.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from memory_keyring import MemoryKeyring, memory_keyring

from designer.core.config import ApiKeyAuth, BasicAuth, BearerAuth, LookupConfig, Request, SecretRef
from designer.core.errors import SecretError
from designer.core.secrets import (
    KEYRING_SERVICE,
    default_resolver,
    forget_secret,
    secret_uses,
    store_secret,
)

VALUE = "tok-8f2c9a1d-VALUE"


@pytest.fixture
def keyring_backend() -> Iterator[MemoryKeyring]:
    with memory_keyring() as backend:
        yield backend


def test_the_chain_order_embedded_session_environment_keyring_file(
    keyring_backend: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets_file = tmp_path / "s.env"
    secrets_file.write_text("SHOP_TOKEN=from-file\n", encoding="utf-8")
    ref = SecretRef(secret="SHOP_TOKEN")
    session: dict[str, str] = {}
    resolver = default_resolver(secrets_file, session=session)

    assert resolver.resolve(ref) == "from-file"
    assert resolver.locate(ref).kind == "file"
    store_secret("SHOP_TOKEN", "from-keyring")
    assert resolver.resolve(ref) == "from-keyring"
    assert resolver.locate(ref).kind == "keyring"
    monkeypatch.setenv("SHOP_TOKEN", "from-env")
    assert resolver.resolve(ref) == "from-env"
    assert (resolver.locate(ref).kind, resolver.locate(ref).where) == (
        "environment",
        "environment variable SHOP_TOKEN",
    )
    session["SHOP_TOKEN"] = "typed"
    assert resolver.resolve(ref) == "typed"
    assert resolver.locate(ref).kind == "session"
    embedded = SecretRef(secret="SHOP_TOKEN", value="embedded")
    assert resolver.resolve(embedded) == "embedded"
    assert resolver.locate(embedded).kind == "embedded"


def test_the_cli_chain_has_no_session_values(keyring_backend: MemoryKeyring) -> None:
    store_secret("K", "from-keyring")
    assert [type(s).__name__ for s in default_resolver().sources] == [
        "EmbeddedSource",
        "EnvironmentSource",
        "KeyringSource",
    ]
    assert default_resolver().resolve(SecretRef(secret="K")) == "from-keyring"


def test_missing_secret_names_every_place_and_no_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTHER", VALUE)
    resolver = default_resolver(session={"OTHER": VALUE})
    location = resolver.locate(SecretRef(secret="SHOP_TOKEN"))
    assert not location.found
    with pytest.raises(SecretError) as caught:
        resolver.resolve(SecretRef(secret="SHOP_TOKEN"))
    for text in (caught.value.message, location.where):
        assert "environment variable SHOP_TOKEN (not set)" in text
        assert "OS keyring" in text
        assert VALUE not in text


def test_null_keyring_backend_is_not_a_place_values_are_kept() -> None:
    """The test-wide null backend accepts a value and forgets it: it must read as missing."""
    store_secret("K", VALUE)
    assert default_resolver().locate(SecretRef(secret="K")).kind == "missing"
    assert forget_secret("K") is False


def test_forget_removes_the_keyring_entry(keyring_backend: MemoryKeyring) -> None:
    store_secret("K", VALUE)
    assert forget_secret("K") is True
    assert (KEYRING_SERVICE, "K") not in keyring_backend.items
    assert forget_secret("K") is False


def test_a_broken_keyring_is_reported_without_the_value() -> None:
    def refuse(_service: str, _name: str, _value: str) -> None:
        raise RuntimeError(f"backend echoed {VALUE}")

    with pytest.raises(SecretError) as caught:
        store_secret("K", VALUE, setter=refuse)
    assert VALUE not in caught.value.message
    assert "'K'" in caught.value.message

    def locked(_service: str, _name: str) -> str | None:
        raise RuntimeError("locked")

    with pytest.raises(SecretError, match="cannot be removed"):
        forget_secret("K", getter=locked, deleter=lambda _s, _n: None)


@pytest.mark.parametrize(
    ("auth", "expected"),
    [
        (BasicAuth(username="shop", password=SecretRef(secret="P")), ("P", "request.auth.password", "shop")),
        (BearerAuth(token=SecretRef(secret="T")), ("T", "request.auth.token", "Bearer token")),
        (
            ApiKeyAuth(name="X-Key", location="query", value=SecretRef(secret="A")),
            ("A", "request.auth.value", "query parameter X-Key"),
        ),
    ],
    ids=["basic", "bearer", "api-key"],
)
def test_secret_uses_name_each_reference_and_its_purpose(
    auth: BasicAuth | BearerAuth | ApiKeyAuth, expected: tuple[str, str, str]
) -> None:
    (use,) = secret_uses(LookupConfig(request=Request(auth=auth)))
    name, location, purpose_part = expected
    assert (use.name, use.location) == (name, location)
    assert purpose_part in use.purpose


def test_no_auth_has_no_secret_uses() -> None:
    assert secret_uses(LookupConfig()) == []


def test_the_secrets_file_beside_a_config_is_the_only_one_there(tmp_path: Path) -> None:
    from designer.core.secrets import secrets_file_beside

    config = tmp_path / "shop.json"
    assert secrets_file_beside(config) is None
    (tmp_path / "secrets.env").write_text("A=1\n", encoding="utf-8")  # not *.secrets.env
    (tmp_path / "x.secrets.env.bak").write_text("A=1\n", encoding="utf-8")
    assert secrets_file_beside(config) is None
    one = tmp_path / "shop.secrets.env"
    one.write_text("A=1\n", encoding="utf-8")
    assert secrets_file_beside(config) == one
    (tmp_path / "dir.secrets.env").mkdir()
    assert secrets_file_beside(config) == one  # folders do not count
    (tmp_path / "b.secrets.env").write_text("A=2\n", encoding="utf-8")
    assert secrets_file_beside(config) is None  # two: none is guessed
    assert secrets_file_beside(tmp_path / "missing" / "c.json") is None
