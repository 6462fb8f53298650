"""``lookup-designer import-curl``: writes a config, reports, never prints or saves a secret."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from http_servers import Reply, http_server
from memory_keyring import memory_keyring

from designer.cli import main
from designer.core.config import BasicAuth
from designer.core.project_io import load_config
from designer.core.secrets import KEYRING_SERVICE

COMMAND = (
    "curl 'https://shop.example.com/api/customers?q=ada&currency=DKK' \\\n"
    "  -u 'shop-admin:s3cr:et-42' -H 'Accept: application/json'\n"
)


@pytest.fixture
def command_file(tmp_path: Path) -> Path:
    path = tmp_path / "command.sh"
    path.write_text(COMMAND, encoding="utf-8")
    return path


def test_writes_the_config_with_placeholders_and_references(
    command_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "lookup.json"
    code = main(
        [
            "import-curl",
            str(command_file),
            "--search-term-from",
            "ada",
            "--currency-code-from",
            "DKK",
            "-o",
            str(output),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    config = load_config(output)
    assert [(p.name, p.value) for p in config.request.query] == [
        ("q", "{search_term}"),
        ("currency", "{currency_code}"),
    ]
    assert (config.test_inputs.search_term, config.test_inputs.currency_code) == ("ada", "DKK")
    assert isinstance(config.request.auth, BasicAuth)
    secret = config.request.auth.password.secret
    text = output.read_text(encoding="utf-8")
    assert "s3cr:et-42" not in text and "s3cr:et-42" not in err
    assert f"secret reference {secret}" in err and f"environment variable {secret}" in err
    assert "{search_term} replaces 'ada' in query parameter q" in err


def test_lists_candidates_when_no_value_is_chosen(
    command_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-curl", str(command_file), "-o", str(tmp_path / "c.json")]) == 0
    err = capsys.readouterr().err
    assert "--search-term-from VALUE" in err
    assert "'ada' — query parameter q" in err
    assert "'DKK' (looks like a currency code) — query parameter currency" in err


def test_a_value_not_in_the_command_writes_nothing(
    command_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "c.json"
    assert main(["import-curl", str(command_file), "--search-term-from", "bo", "-o", str(output)]) == 2
    assert "'bo' is not a value of the command" in capsys.readouterr().err
    assert not output.exists()


def test_an_existing_config_is_replaced_only_with_force(command_file: Path, tmp_path: Path) -> None:
    output = tmp_path / "c.json"
    output.write_text("precious", encoding="utf-8")
    assert main(["import-curl", str(command_file), "-o", str(output)]) == 2
    assert output.read_text(encoding="utf-8") == "precious"
    assert main(["import-curl", str(command_file), "-o", str(output), "--force"]) == 0
    assert load_config(output).request.url == "https://shop.example.com/api/customers"


@pytest.mark.parametrize("text", ["echo hello\n", "curl -v\n", ""])
def test_unusable_input_is_explained(text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.sh"
    source.write_text(text, encoding="utf-8")
    assert main(["import-curl", str(source), "-o", str(tmp_path / "c.json")]) == 2
    assert "lookup-designer import-curl:" in capsys.readouterr().err
    assert not (tmp_path / "c.json").exists()


def test_missing_and_non_utf8_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import-curl", str(tmp_path / "nope.sh"), "-o", str(tmp_path / "c.json")]) == 2
    (tmp_path / "latin.sh").write_bytes(b"curl http://x/\xe6")
    assert main(["import-curl", str(tmp_path / "latin.sh"), "-o", str(tmp_path / "c.json")]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "not UTF-8" in err


def test_reads_standard_input(tmp_path: Path) -> None:
    output = tmp_path / "c.json"
    done = subprocess.run(
        [sys.executable, "-m", "designer", "import-curl", "-", "-o", str(output)],
        input=COMMAND.encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    assert load_config(output).request.method == "GET"


def test_secrets_file_then_run_sends_the_request_with_the_credential(tmp_path: Path) -> None:
    """End to end: import, keep the password in a secrets file, run the lookup against a server."""
    with http_server(Reply(body=b'[{"id": 12345678901234567891, "name": "Bo"}]')) as served:
        command = tmp_path / "cmd.sh"
        command.write_text(f"curl '{served.url}/customers?q=ada' -u 'admin:pa55:w0rd'", encoding="utf-8")
        config, secrets = tmp_path / "c.json", tmp_path / "s.env"
        code = main(
            [
                "import-curl",
                str(command),
                "--search-term-from",
                "ada",
                "-o",
                str(config),
                "--secrets-file",
                str(secrets),
            ]
        )
        assert code == 0
        assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
        assert "pa55:w0rd" not in config.read_text(encoding="utf-8")
        assert main(["run", str(config), "--search-term", "Søn & Co", "--secrets-file", str(secrets)]) == 0
        arrived = served.last
    assert arrived.target == "/customers?q=S%C3%B8n%20%26%20Co"
    assert arrived.header("Authorization") == "Basic " + base64.b64encode(b"admin:pa55:w0rd").decode()


def test_secrets_file_keeps_other_lines(tmp_path: Path, command_file: Path) -> None:
    secrets = tmp_path / "s.env"
    secrets.write_text("# mine\nOTHER=1\nSHOP_EXAMPLE_COM_PASSWORD=old\n", encoding="utf-8")
    assert (
        main(
            ["import-curl", str(command_file), "-o", str(tmp_path / "c.json"), "--secrets-file", str(secrets)]
        )
        == 0
    )
    assert secrets.read_text(encoding="utf-8") == '# mine\nOTHER=1\nSHOP_EXAMPLE_COM_PASSWORD="s3cr:et-42"\n'


def test_keyring(command_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with memory_keyring() as keyring:
        assert main(["import-curl", str(command_file), "-o", str(tmp_path / "c.json"), "--keyring"]) == 0
    assert keyring.items == {(KEYRING_SERVICE, "SHOP_EXAMPLE_COM_PASSWORD"): "s3cr:et-42"}
    assert "stored SHOP_EXAMPLE_COM_PASSWORD in the OS keyring" in capsys.readouterr().err


def test_a_keyring_that_forgets_is_reported(
    command_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert os.environ["PYTHON_KEYRING_BACKEND"] == "keyring.backends.null.Keyring"  # tests/conftest.py
    code = main(["import-curl", str(command_file), "-o", str(tmp_path / "c.json"), "--keyring"])
    err = capsys.readouterr().err
    assert code == 1
    assert (tmp_path / "c.json").exists()
    assert "did not keep SHOP_EXAMPLE_COM_PASSWORD" in err and "s3cr:et-42" not in err
