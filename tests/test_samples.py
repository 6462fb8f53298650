"""Every sample project against the demo server, through the runtime that ``lookup-designer run`` uses.

The expected Customer lists in ``samples/expected`` were written by hand (see samples/README.md);
these tests only compare. The samples' URLs use the demo's default port 8765; each test points
the loaded config at a demo server on a free port instead.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from designer.core.config import LookupConfig
from designer.core.customer import Customer, customers_to_json
from designer.core.errors import HttpStatusError, SecretError
from designer.core.jsonio import loads_exact
from designer.core.model_types import Inputs
from designer.core.project_io import load_config, save_config
from designer.core.runtime import LookupResult, lookup_sync
from designer.core.secrets import ChainResolver, MappingSource, default_resolver
from designer.demo import SAMPLE_BASE_URL, DemoServer, rebase_sample_url
from designer.demo.data import CREDENTIALS

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EXPECTED = SAMPLES / "expected"
SECRETS_FILE = SAMPLES / "demo.secrets.env"
SAMPLE_NAMES = sorted(p.stem for p in SAMPLES.glob("*.json"))
CASES = [
    (name, unicodedata.normalize("NFC", path.stem), path)
    for name in SAMPLE_NAMES
    for path in sorted((EXPECTED / name).glob("*.json"))
]
NO_MATCH_TERM = {
    "woocommerce": "zzz-nobody",
    "businesscentral": "Nobody",
    "hubspot": "nobody",
    "odoo": "nobody",
    "shopify": "4242424242",
    "economic": "nobody",
    "legacy": "nobody",
}


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running
        assert running.errors == [], "a demo API crashed"


def sample_config(name: str, server: DemoServer) -> LookupConfig:
    config = load_config(SAMPLES / f"{name}.json")
    assert config.request.url.startswith(SAMPLE_BASE_URL + "/"), "samples must point at the default demo port"
    config.request.url = rebase_sample_url(config.request.url, server.base_url)
    return config


def run(name: str, term: str, server: DemoServer, secrets: Any = None) -> LookupResult:
    resolver = secrets if secrets is not None else default_resolver(secrets_file=SECRETS_FILE)
    return lookup_sync(
        sample_config(name, server), Inputs(search_term=term, currency_code="DKK"), secrets=resolver
    )


def as_json(result: LookupResult) -> Any:
    return loads_exact(customers_to_json(list(result.customers)))


# ---------------------------------------------------------------- the sample files themselves


def test_every_demo_api_has_a_sample_with_two_or_more_expected_lists() -> None:
    assert sorted(a.name for a in DemoServer().apis) == SAMPLE_NAMES
    for name in SAMPLE_NAMES:
        assert len(list((EXPECTED / name).glob("*.json"))) >= 2, name
    assert sorted(p.name for p in EXPECTED.iterdir()) == SAMPLE_NAMES


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_is_a_valid_config_with_references_only(name: str) -> None:
    text = (SAMPLES / f"{name}.json").read_text(encoding="utf-8")
    config = load_config(SAMPLES / f"{name}.json")
    assert config.secret_refs(), "every demo API requires a credential"
    assert all(ref.value is None and ref.secret in CREDENTIALS for ref in config.secret_refs())
    for value in CREDENTIALS.values():
        assert value not in text, "a sample must not embed a secret value"


def test_secrets_file_matches_the_demo_credentials() -> None:
    values = {}
    for line in SECRETS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    assert values == CREDENTIALS


@pytest.mark.parametrize(("name", "term", "path"), CASES, ids=[f"{n}:{t}" for n, t, _ in CASES])
def test_expected_file_is_a_customer_list(name: str, term: str, path: Path) -> None:
    data = loads_exact(path.read_bytes())
    assert isinstance(data, list)
    for item in data:
        Customer.model_validate(item, strict=False)


# ---------------------------------------------------------------- samples give the hand-checked lists


@pytest.mark.parametrize(("name", "term", "path"), CASES, ids=[f"{n}:{t}" for n, t, _ in CASES])
def test_sample_gives_the_expected_customers(server: DemoServer, name: str, term: str, path: Path) -> None:
    result = run(name, term, server)
    assert result.error is None, result.error
    assert as_json(result) == loads_exact(path.read_bytes())


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_different_terms_give_different_results(server: DemoServer, name: str) -> None:
    outputs = {json.dumps(as_json(run(name, term, server)), default=str) for n, term, _ in CASES if n == name}
    assert len(outputs) >= 2


# ---------------------------------------------------------------- like the real systems


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_no_match_is_an_empty_list(server: DemoServer, name: str) -> None:
    result = run(name, NO_MATCH_TERM[name], server)
    assert result.error is None, result.error
    assert result.customers == ()
    expected_status = 404 if name == "shopify" else 200
    assert result.exchange is not None and result.exchange.status == expected_status


WRONG_CREDENTIAL_STATUS = {
    "woocommerce": (401, "woocommerce_rest_authentication_error"),
    "businesscentral": (401, "Authentication_InvalidCredentials"),
    "hubspot": (401, "INVALID_AUTHENTICATION"),
    "shopify": (401, "[API] Invalid API key or access token"),
    "economic": (401, "Unauthorized access (401)."),
    "legacy": (403, "Adgang n"),
}


@pytest.mark.parametrize("name", sorted(WRONG_CREDENTIAL_STATUS))
def test_wrong_credentials_are_rejected_like_the_real_system(server: DemoServer, name: str) -> None:
    wrong = ChainResolver([MappingSource({key: "wrong-value" for key in CREDENTIALS})])
    result = run(name, "jensen", server, secrets=wrong)
    status, marker = WRONG_CREDENTIAL_STATUS[name]
    assert isinstance(result.error, HttpStatusError), result.error
    assert result.exchange is not None and result.exchange.status == status
    assert marker in result.exchange.body.decode("latin-1")
    assert result.customers == ()
    assert "wrong-value" not in str(result.error)


def test_odoo_wrong_session_is_http_200_with_an_error_object(server: DemoServer) -> None:
    wrong = ChainResolver([MappingSource({"DEMO_ODOO_SESSION_ID": "expired"})])
    result = run("odoo", "jensen", server, secrets=wrong)
    assert result.exchange is not None and result.exchange.status == 200
    assert b"Odoo Session Expired" in result.exchange.body
    assert result.customers == ()


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_missing_credentials_stop_before_sending(server: DemoServer, name: str) -> None:
    before = len(server.requests)
    result = run(name, "jensen", server, secrets=ChainResolver([MappingSource({})]))
    assert isinstance(result.error, SecretError)
    assert config_secret(name) in str(result.error)
    assert len(server.requests) == before


def config_secret(name: str) -> str:
    return load_config(SAMPLES / f"{name}.json").secret_refs()[0].secret


# What each real system does with each hostile term (derived by hand from the search rules in
# samples/README.md): the identifiers found, ALL (an empty search lists everyone) or 400 (refused).
ALL, REFUSED = "all", 400
CRLF = 'O\'Brien & Søn "x"\r\nX-Evil: 1'
HOSTILE: dict[str, dict[str, Any]] = {
    CRLF: {
        "woocommerce": [],
        "businesscentral": REFUSED,
        "hubspot": [],
        "odoo": [],
        "shopify": [],
        "economic": REFUSED,
        "legacy": [],
    },
    "../admin": {name: [] for name in SAMPLE_NAMES},
    "%": {
        "woocommerce": [],
        "businesscentral": [],
        "hubspot": [],
        "odoo": ALL,
        "shopify": [],
        "economic": [],
        "legacy": [],
    },
    "&": {
        "woocommerce": [],
        "businesscentral": ["1005"],
        "hubspot": [],
        "odoo": ["11"],
        "shopify": [],
        "economic": ["1005"],
        "legacy": ["K-1005"],
    },
    "'": {
        "woocommerce": ["1006"],
        "businesscentral": REFUSED,
        "hubspot": [],
        "odoo": ["12"],
        "shopify": [],
        "economic": ["1006"],
        "legacy": ["K-1006"],
    },
    "": {
        "woocommerce": ALL,
        "businesscentral": ALL,
        "hubspot": ALL,
        "odoo": ALL,
        "shopify": [],
        "economic": ALL,
        "legacy": REFUSED,
    },
}
HOSTILE_CASES = [(term, name) for term in HOSTILE for name in SAMPLE_NAMES]


@pytest.mark.parametrize(("term", "name"), HOSTILE_CASES, ids=[f"{n}:{t!r}" for t, n in HOSTILE_CASES])
def test_hostile_terms_behave_like_the_real_system(server: DemoServer, term: str, name: str) -> None:
    expected = HOSTILE[term][name]
    result = run(name, term, server)
    if expected == REFUSED:
        assert isinstance(result.error, HttpStatusError), result.error
        assert result.exchange is not None and result.exchange.status == 400
        assert result.customers == ()
    else:
        assert result.error is None, result.error
        found = [c.identifier for c in result.customers]
        assert (len(found) == 8) if expected == ALL else (found == expected)
    assert server.errors == []


def last_request(server: DemoServer) -> Any:
    return server.requests[-1]


@pytest.mark.parametrize("term", ["+4520304050", 'O\'Brien & Søn "x"', "a+b@c.dk", "../admin", "50% off"])
def test_h011_query_values_arrive_intact(server: DemoServer, term: str) -> None:
    run("legacy", term, server)
    query = parse_qs(urlsplit(last_request(server).target).query, keep_blank_values=True)
    assert query["soeg"] == [term]
    assert "+" not in last_request(server).target.split("soeg=")[1].split("&")[0]


def test_h011_phone_with_plus_finds_the_customer(server: DemoServer) -> None:
    result = run("legacy", "+4520304050", server)
    assert [c.identifier for c in result.customers] == ["K-1001"]


@pytest.mark.parametrize("term", ['Jensen "VIP" \\ A/S', "line\nbreak", "O'Brien"])
def test_h044_json_body_carries_the_exact_term(server: DemoServer, term: str) -> None:
    run("hubspot", term, server)
    assert json.loads(last_request(server).body)["query"] == term
    run("odoo", term, server)
    domain = json.loads(last_request(server).body)["params"]["args"][0]
    assert domain[2] == ["name", "ilike", term]


def test_path_segment_term_cannot_escape_its_segment(server: DemoServer) -> None:
    result = run("shopify", "../admin", server)
    assert result.customers == () and result.error is None
    assert "/customers/..%2Fadmin.json" in last_request(server).target or "%2E%2E%2Fadmin" in (
        last_request(server).target
    )


def test_h019_big_id_and_h015_latin1_through_the_runtime(server: DemoServer) -> None:
    (ada,) = run("shopify", "9007199254740993", server).customers
    assert ada.identifier == "9007199254740993"
    (soren,) = run("legacy", "æbelø", server).customers
    assert soren.name == "Søren Æbelø" and soren.balance is not None
    assert str(soren.balance.balance) == "-250.75"


# ---------------------------------------------------------------- the command line


@pytest.mark.parametrize("case", CASES, ids=[f"{n}:{t}" for n, t, _ in CASES])
def test_cli_run_prints_the_expected_list(
    server: DemoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: tuple[str, str, Path]
) -> None:
    from designer.cli import main

    name, term, path = case
    config_path = tmp_path / f"{name}.json"
    save_config(sample_config(name, server), config_path)
    code = main(["run", str(config_path), "--search-term", term, "--secrets-file", str(SECRETS_FILE)])
    out = capsys.readouterr().out
    assert code == 0
    # Every digit as written by hand: 1234.50 is not 1234.5, an id is its exact decimal text.
    assert json.loads(out, parse_float=str) == json.loads(path.read_text(encoding="utf-8"), parse_float=str)


def test_the_installed_script_prints_a_big_id_and_a_decimal_comma_balance_exactly(
    server: DemoServer, tmp_path: Path
) -> None:
    import subprocess
    import sys

    script = Path(sys.executable).parent / "lookup-designer"
    outputs = {}
    for name, term in (("shopify", "9007199254740993"), ("legacy", "jensen")):
        config_path = tmp_path / f"{name}.json"
        save_config(sample_config(name, server), config_path)
        done = subprocess.run(
            [
                str(script),
                "run",
                str(config_path),
                "-s",
                term,
                "--secrets-file",
                str(SECRETS_FILE),
                "--compact",
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        outputs[name] = done.stdout.decode("utf-8")
    # 9007199254740993 = 2^53 + 1: a float would print 9007199254740992.
    assert outputs["shopify"].startswith('[{"identifier":"9007199254740993","name":"Ada Jensen",')
    # The legacy ERP sends "1.234,50" and "15.000,00" as text with a decimal comma.
    assert '"balance":{"identifier":"K-1001","balance":1234.50}}' in outputs["legacy"]
    assert '"balance":{"identifier":"K-1005","balance":15000.00}}' in outputs["legacy"]
