"""The command line: ``run``, ``validate`` and ``schema``, in-process and as the installed script.

Exit status: 0 success, 1 the lookup failed (or validation found errors), 2 unusable input.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from http_servers import Arrived, Reply, Served, http_server
from pitfall_cases import case_bytes

from designer.cli import main
from designer.commands.schema import SHIPPED_SCHEMA, schema_text
from designer.core.config import (
    BearerAuth,
    FieldMapping,
    Header,
    LookupConfig,
    Param,
    Request,
    ResponseSpec,
    SecretRef,
    Transform,
)
from designer.core.project_io import config_to_text, save_config

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / ("lookup-designer.exe" if os.name == "nt" else "lookup-designer")
ASCII_TOKEN = "tok_2718281828"

BODY = (
    '{"kunder": [{"nr": 12345678901234567891, "navn": "Søren Æbelø", "saldo": "1.234,50"},'
    ' {"navn": "uden nummer"}, {"nr": "K-2", "navn": "Åse", "saldo": "-0,05"}]}'
).encode()
EXPECTED = (
    "[\n"
    "  {\n"
    '    "identifier": "12345678901234567891",\n'
    '    "name": "Søren Æbelø",\n'
    '    "balance": {\n'
    '      "identifier": "12345678901234567891",\n'
    '      "balance": 1234.50\n'
    "    }\n"
    "  },\n"
    "  {\n"
    '    "identifier": "K-2",\n'
    '    "name": "Åse",\n'
    '    "balance": {\n'
    '      "identifier": "K-2",\n'
    '      "balance": -0.05\n'
    "    }\n"
    "  }\n"
    "]\n"
)
RESPONSE = ResponseSpec(
    records_path="$.kunder[*]",
    fields={
        "identifier": FieldMapping(paths=["$.nr"]),
        "name": FieldMapping(paths=["$.navn"]),
        "balance.identifier": FieldMapping(paths=["$.nr"]),
        "balance.balance": FieldMapping(
            paths=["$.saldo"], transforms=[Transform(name="parse_number", decimal_separator="comma")]
        ),
    },
)


def _server_reply(arrived: Arrived) -> Reply:
    """The merchant API: Bearer token required; the term ``boom`` breaks it."""
    if arrived.header("Authorization") != f"Bearer {ASCII_TOKEN}":
        return Reply(status=401, body=b'{"error": "bad token"}')
    if arrived.query.get("q") == ["boom"]:
        return Reply(status=500, body=b"<html><title>Oops</title></html>", content_type="text/html")
    return Reply(body=BODY, content_type="application/json; charset=utf-8")


@pytest.fixture(scope="module")
def server() -> Iterator[Served]:
    with http_server(_server_reply) as served:
        yield served
        assert served.errors == []


def write_config(folder: Path, url: str, response: ResponseSpec = RESPONSE, **request: object) -> Path:
    config = LookupConfig(
        name="CLI test",
        request=Request(
            url=url,
            query=[Param(name="q", value="{search_term}")],
            auth=BearerAuth(token=SecretRef(secret="CLI_TEST_TOKEN")),
            **request,  # type: ignore[arg-type]
        ),
        response=response,
    )
    path = folder / "config.json"
    save_config(config, path)
    return path


@pytest.fixture
def secrets_file(tmp_path: Path) -> Path:
    path = tmp_path / "secrets.env"
    path.write_text(f"# test\nCLI_TEST_TOKEN={ASCII_TOKEN}\n", encoding="utf-8")
    return path


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------------------------ run


def test_run_prints_exactly_the_customer_list(
    server: Served, tmp_path: Path, secrets_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server.url + "/kunder")
    code, out, err = cli(
        capsys, "run", str(config), "--search-term", "jensen", "--secrets-file", str(secrets_file)
    )
    assert code == 0, err
    assert out == EXPECTED
    assert server.last.query == {"q": ["jensen"]}
    # Problems and the exchange summary go to stderr only.
    assert "HTTP 200 OK" in err and "record 2 ([1]) identifier" in err
    assert ASCII_TOKEN not in out + err


def test_run_compact_and_quiet(
    server: Served, tmp_path: Path, secrets_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server.url + "/kunder")
    code, out, err = cli(
        capsys, "run", str(config), "-s", "x", "--secrets-file", str(secrets_file), "--compact", "--quiet"
    )
    assert code == 0 and err == ""
    assert (
        out
        == json.dumps(json.loads(EXPECTED), ensure_ascii=False, separators=(",", ":")).replace(
            "1234.5", "1234.50"
        )
        + "\n"
    )


def test_run_uses_the_secret_from_the_environment(
    server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLI_TEST_TOKEN", ASCII_TOKEN)
    code, out, _ = cli(capsys, "run", str(write_config(tmp_path, server.url + "/kunder")), "-s", "a")
    assert code == 0 and out == EXPECTED


def test_run_finds_the_one_secrets_file_beside_the_config(
    server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As ``lookup-designer run samples/x.json`` finds samples/demo.secrets.env."""
    config = write_config(tmp_path, server.url + "/kunder")
    code, _, err = cli(capsys, "run", str(config), "-s", "a")
    assert code == 1 and "CLI_TEST_TOKEN" in err  # nothing beside it yet
    beside = tmp_path / "merchant.secrets.env"
    beside.write_text(f"CLI_TEST_TOKEN={ASCII_TOKEN}\n", encoding="utf-8")
    code, out, err = cli(capsys, "run", str(config), "-s", "a")
    assert code == 0, err
    assert out == EXPECTED
    assert f"note: secrets not set in the environment or keyring are read from {beside}" in err
    assert server.last.header("Authorization") == f"Bearer {ASCII_TOKEN}"
    # Two candidates: none is guessed, --secrets-file must choose.
    (tmp_path / "other.secrets.env").write_text("CLI_TEST_TOKEN=wrong\n", encoding="utf-8")
    code, _, err = cli(capsys, "run", str(config), "-s", "a")
    assert code == 1 and "CLI_TEST_TOKEN" in err
    code, _, _ = cli(capsys, "run", str(config), "-s", "a", "--secrets-file", str(beside))
    assert code == 0


def test_run_failures_exit_1_with_the_reason_on_stderr(
    server: Served, tmp_path: Path, secrets_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server.url + "/kunder")
    code, out, err = cli(capsys, "run", str(config), "-s", "boom", "--secrets-file", str(secrets_file))
    assert (code, out) == (1, "")
    assert "lookup-designer run: the server answered HTTP 500" in err
    wrong = tmp_path / "wrong.env"
    wrong.write_text("CLI_TEST_TOKEN=wrong-token\n", encoding="utf-8")
    code, out, err = cli(capsys, "run", str(config), "-s", "a", "--secrets-file", str(wrong))
    assert (code, out) == (1, "")
    assert "HTTP 401" in err and "credentials were refused" in err and "wrong-token" not in err


def test_run_missing_secret_exits_1_naming_the_reference(
    server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLI_TEST_TOKEN", raising=False)
    before = len(server.requests)
    code, out, err = cli(capsys, "run", str(write_config(tmp_path, server.url + "/kunder")), "-s", "a")
    assert (code, out) == (1, "")
    assert "'CLI_TEST_TOKEN' is not available" in err and "environment variable CLI_TEST_TOKEN" in err
    assert len(server.requests) == before


def test_run_render_problem_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(
        tmp_path, "http://127.0.0.1:9/c", headers=[Header(name="X-Search", value="{search_term}")]
    )
    code, out, err = cli(capsys, "run", str(config), "-s", "Søren")
    assert (code, out) == (1, "")
    assert "header 'X-Search' cannot carry the non-ASCII text" in err


@pytest.mark.parametrize(
    ("setup", "said"),
    [
        ("missing-config", "does not exist"),
        ("corrupt-config", "is not valid JSON: Expecting value at line 1, column 12"),
        ("missing-secrets", "secrets file"),
        ("bad-secrets", "expected NAME=VALUE"),
        ("missing-response", "cannot read"),
    ],
)
def test_run_unusable_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: str, said: str
) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9/c")
    args = ["run", str(config), "-s", "a"]
    if setup == "missing-config":
        args[1] = str(tmp_path / "nope.json")
    elif setup == "corrupt-config":
        config.write_text('{"format": }', encoding="utf-8")
    elif setup == "missing-secrets":
        args += ["--secrets-file", str(tmp_path / "nope.env")]
    elif setup == "bad-secrets":
        (tmp_path / "bad.env").write_text("this is not a pair\n", encoding="utf-8")
        args += ["--secrets-file", str(tmp_path / "bad.env")]
    else:
        args += ["--response-file", str(tmp_path / "nope.json")]
    code, out, err = cli(capsys, *args)
    assert (code, out) == (2, "")
    assert said in err and "Traceback" not in err


def test_run_with_a_bad_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["run"])
    assert caught.value.code == 2
    assert "the following arguments are required: config" in capsys.readouterr().err


# ------------------------------------------------------------------------------------ --response-file


def test_run_response_file_with_a_plain_body(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "body.json"
    body.write_bytes(BODY)
    config = write_config(tmp_path, "http://127.0.0.1:9/never-contacted")
    code, out, _ = cli(capsys, "run", str(config), "--response-file", str(body))
    assert code == 0 and out == EXPECTED


def test_run_response_file_with_a_raw_http_response(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # H015: the status line and headers of the file count, here the declared Latin-1 charset.
    spec = ResponseSpec(
        records_path="$.customers[*]",
        fields={"identifier": FieldMapping(paths=["$.id"]), "city": FieldMapping(paths=["$.city"])},
    )
    raw = tmp_path / "H015.http"
    raw.write_bytes(case_bytes("H015.http"))
    config = write_config(tmp_path, "http://127.0.0.1:9/c", response=spec)
    code, out, _ = cli(capsys, "run", str(config), "--response-file", str(raw), "--compact")
    assert code == 0 and out == '[{"identifier":"K1","city":"Århus"}]\n'


def test_run_response_file_status_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_found = tmp_path / "404.http"
    not_found.write_bytes(
        b'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\r\n{"error": "none"}'
    )
    config = write_config(tmp_path, "http://127.0.0.1:9/c")  # 404 is a no-match status by default
    code, out, err = cli(capsys, "run", str(config), "--response-file", str(not_found))
    assert (code, out) == (0, "[]\n") and "HTTP 404 means no match" in err
    strict = write_config(
        tmp_path, "http://127.0.0.1:9/c", response=RESPONSE.model_copy(update={"no_match_statuses": []})
    )
    code, out, err = cli(capsys, "run", str(strict), "--response-file", str(not_found))
    assert (code, out) == (1, "") and "HTTP 404" in err


def test_run_response_file_with_several_responses_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    both = tmp_path / "H042.http"
    both.write_bytes(case_bytes("H042.http"))
    code, out, err = cli(
        capsys, "run", str(write_config(tmp_path, "http://x.invalid/")), "--response-file", str(both)
    )
    assert (code, out) == (2, "")
    assert "holds 2 responses" in err and "A: 404 with an error object" in err


def test_run_response_file_html_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "H025.http"
    page.write_bytes(case_bytes("H025.http"))
    code, out, err = cli(
        capsys, "run", str(write_config(tmp_path, "http://x.invalid/")), "--response-file", str(page)
    )
    assert (code, out) == (1, "") and "response is HTML, not JSON (title: Sign in)" in err


# ------------------------------------------------------------------------------------ validate


def test_validate_a_good_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "validate", str(write_config(tmp_path, "https://erp.example.dk/kunder")))
    assert code == 0 and out.endswith("config.json: valid\n") and err == ""


def test_validate_lists_every_problem_with_its_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    data = json.loads(config_to_text(LookupConfig()))
    data["request"]["method"] = "FETCH"
    data["request"]["query"] = [{"name": "q", "value": "{search_term}", "enabeld": True}]
    data["response"]["fields"] = {"nmae": {"paths": ["$.n"]}}
    data["request"]["timeouts"]["read"] = -1
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = cli(capsys, "validate", str(path))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert len(lines) == 4
    for location in (
        "request.method",
        "request.query[0].enabeld",
        "request.timeouts.read",
        "response.fields",
    ):
        assert any(line.startswith(f"{path}: {location}: error: ") for line in lines), (location, err)


def test_validate_finds_meaning_problems_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = LookupConfig(
        request=Request(url="https://x.example/c", query=[Param(name="q", value="{search-term}")]),
        response=ResponseSpec(records_path="$.customers[", fields={"name": FieldMapping(paths=["$.name"])}),
    )
    path = tmp_path / "lint.json"
    save_config(config, path)
    code, _, err = cli(capsys, "validate", str(path))
    assert code == 1
    assert f"{path}: request.query[0].value: warning: {{search-term}} is not a placeholder" in err
    assert f"{path}: response.records_path: error: " in err
    assert f"{path}: response.fields.identifier: error: identifier is not mapped" in err
    assert f"{path}: 2 error(s), 2 warning(s)" in err


def test_validate_a_newer_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "future.json"
    path.write_text('{"format": "kaching-customer-lookup", "version": 99, "whatever": 1}', encoding="utf-8")
    code, _, err = cli(capsys, "validate", str(path))
    assert code == 1
    assert "is format version 99, but this designer reads up to version 1" in err


def test_validate_corrupt_json_gives_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "corrupt.json"
    path.write_text(
        '{\n  "format": "kaching-customer-lookup",\n  "version": 1\n  "name": "x"\n}', encoding="utf-8"
    )
    code, _, err = cli(capsys, "validate", str(path))
    assert code == 1
    assert err == f"{path}: error: {path} is not valid JSON: Expecting ',' delimiter at line 4, column 3\n"


def test_validate_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "validate", str(tmp_path / "nope.json"))
    assert code == 2 and "does not exist" in err


# ------------------------------------------------------------------------------------ schema


def test_schema_is_a_valid_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "urn:kaching-customer-lookup:v1"


def test_the_shipped_schema_is_the_current_one() -> None:
    assert SHIPPED_SCHEMA.resolve() == (ROOT / "resources" / "config.schema.json").resolve()
    assert SHIPPED_SCHEMA.read_text(encoding="utf-8") == schema_text(), (
        "resources/config.schema.json is out of date; regenerate it with "
        "`.venv/bin/lookup-designer schema -o resources/config.schema.json`"
    )


def test_schema_to_a_file_and_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "schema.json"
    assert cli(capsys, "schema", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == schema_text()
    code, _, err = cli(capsys, "schema", "-o", str(tmp_path / "missing" / "schema.json"))
    assert code == 1 and "cannot write" in err


# ------------------------------------------------------------------------------------ the real script


def test_the_installed_script_runs_against_a_real_server_in_an_ascii_locale(
    server: Served, tmp_path: Path, secrets_file: Path
) -> None:
    assert SCRIPT.exists(), f"{SCRIPT} missing: install with pip install -e '.[test]'"
    config = write_config(tmp_path, server.url + "/kunder")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8", "PYTHONIO"))}
    # The C locale without UTF-8 mode: stdout's own encoding is ASCII, the list must still be exact.
    env.update({"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"})
    done = subprocess.run(
        [str(SCRIPT), "run", str(config), "--search-term", "jensen", "--secrets-file", str(secrets_file)],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout.decode("utf-8") == EXPECTED
    assert b"HTTP 200 OK" in done.stderr and ASCII_TOKEN.encode() not in done.stdout + done.stderr
    failed = subprocess.run(
        [str(SCRIPT), "run", str(config), "-s", "boom", "--secrets-file", str(secrets_file)],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (failed.returncode, failed.stdout) == (1, b"")
    assert b"HTTP 500" in failed.stderr and b"Traceback" not in failed.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="pseudo-terminal with a C locale")
def test_on_an_ascii_terminal_the_list_is_printed_with_json_escapes(tmp_path: Path) -> None:
    import pty

    body = tmp_path / "body.json"
    body.write_bytes(BODY)
    config = write_config(tmp_path, "http://127.0.0.1:9/never-contacted")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8", "PYTHONIO"))}
    env.update({"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"})
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [str(SCRIPT), "run", str(config), "--response-file", str(body), "--compact", "-q"],
            env=env,
            stdout=follower,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
        os.close(follower)
        follower = -1
        received = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal has no writer left
                break
            if not chunk:
                break
            received += chunk
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    shown = received.decode("ascii").replace("\r\n", "\n")
    assert "\\u00f8" in shown  # "ø" written as a JSON escape, not "\xf8"
    assert json.loads(shown, parse_float=str) == json.loads(EXPECTED, parse_float=str)


def test_run_with_a_search_term_in_another_encoding(tmp_path: Path) -> None:
    # A Latin-1 terminal passes b"S\xf8ren"; Python turns the stray byte into a surrogate.
    config = write_config(tmp_path, "http://127.0.0.1:9/c")
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    done = subprocess.run(
        [os.fsencode(SCRIPT), b"run", os.fsencode(config), b"-s", b"S\xf8ren"],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (1, b"")
    assert b"the search term is not valid text" in done.stderr and b"Traceback" not in done.stderr


def test_the_window_without_a_display_says_how_to_run_it_instead_of_aborting() -> None:
    from designer.cli import missing_display

    assert missing_display({}, "linux") is not None
    assert "xvfb-run" in (missing_display({"HOME": "/root"}, "linux") or "")
    assert missing_display({"DISPLAY": ":0"}, "linux") is None
    assert missing_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert missing_display({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert missing_display({}, "win32") is None and missing_display({}, "darwin") is None

    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    if not sys.platform.startswith("linux"):
        return
    done = subprocess.run(
        [sys.executable, "-m", "designer", "--demo"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "no display" in done.stderr and "Traceback" not in done.stderr
