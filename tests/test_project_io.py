"""Project and export files: UTF-8 always, atomic saves, readable failures, lossless round trips."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from designer.core import atomic
from designer.core.config import (
    ApiKeyAuth,
    BasicAuth,
    BearerAuth,
    FieldMapping,
    FormBody,
    Header,
    JsonBody,
    LookupConfig,
    NoAuth,
    NoBody,
    Param,
    RawBody,
    Request,
    ResponseSpec,
    SecretRef,
    TestInputs,
    Timeouts,
    Transform,
    Transport,
)
from designer.core.customer import CUSTOMER_FIELDS
from designer.core.errors import ConfigError
from designer.core.project_io import SaveError, config_from_text, config_to_text, load_config, save_config

ROOT = Path(__file__).resolve().parent.parent


def sample_config() -> LookupConfig:
    return LookupConfig(
        name="Ærø Cykler — kunder",
        request=Request(
            url="https://erp.example.dk/api/kunder",
            query=[Param(name="shop", value="Ærø Cykler"), Param(name="q", value="{search_term}")],
            auth=BearerAuth(token=SecretRef(secret="ERP_TOKEN")),
        ),
        response=ResponseSpec(
            records_path="$.kunder[*]",
            fields={
                "identifier": FieldMapping(paths=["$['kunde.nr']"]),
                "city": FieldMapping(paths=["$['Bopæl']['By']"]),
            },
        ),
    )


# ------------------------------------------------------------------------------------ load errors


def test_save_and_load(tmp_path: Path) -> None:
    path = tmp_path / "project.json"
    text = save_config(sample_config(), path)
    assert path.read_bytes() == text.encode("utf-8")
    assert load_config(path) == sample_config()


def test_corrupt_json_gives_line_and_column_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    text = config_to_text(sample_config())
    lines = text.splitlines()
    lines[3] = lines[3].rstrip(",")  # drop a comma on line 4
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.location is not None and caught.value.location.startswith("line 5, column ")
    assert str(caught.value).startswith(f"{path} is not valid JSON: Expecting ',' delimiter at line 5")


def test_nan_in_a_config_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "nan.json"
    text = config_to_text(sample_config()).replace('"connect": 5.0', '"connect": NaN')
    path.write_text('{"note": "NaN in a string is fine",' + text.lstrip()[1:], encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config_from_text(path.read_text(encoding="utf-8"))
    rows = path.read_text(encoding="utf-8").splitlines()
    line, row = next((i, row) for i, row in enumerate(rows, 1) if ": NaN" in row)
    assert caught.value.location == f"line {line}, column {row.index('NaN') + 1}"
    assert "contains NaN" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "Expecting value at line 1, column 1"),
        (
            b'{"format": "kaching-customer-lookup", "version": 1, "name": "\xe6"}',
            "is not UTF-8 text (byte 0xe6",
        ),
        (b"[1, 2]", "must be a JSON object, not list"),
        (b'{"a": 1, "a": 2}', "repeats the key(s) 'a'"),
        (b'{"name": "x"}', "no 'format' key"),
        (b"[" * 100_000, "nested"),
        (b'{"format": "kaching-customer-lookup", "version": 1, "name": ' + b"9" * 5000 + b"}", "digits"),
    ],
)
def test_bad_files_are_explained(tmp_path: Path, content: bytes, said: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert said in str(caught.value)


def test_missing_file_and_folder_are_explained(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.json")
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)


def test_a_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + config_to_text(sample_config()).encode("utf-8"))
    assert load_config(path) == sample_config()


# ------------------------------------------------------------------------------------ atomic save


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_failure_mid_save_keeps_the_previous_file_and_removes_the_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = tmp_path / "project.json"
    save_config(LookupConfig(name="before"), path)
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, step, fail)
    with pytest.raises(SaveError) as caught:
        save_config(LookupConfig(name="after"), path)
    monkeypatch.undo()
    assert "No space left on device" in str(caught.value) and "previous file is unchanged" in str(
        caught.value
    )
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_a_crash_during_the_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "project.json"
    save_config(LookupConfig(name="before"), path)
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class Interrupted(BaseException):
        pass

    def fdopen(fd: int, mode: str) -> Any:
        handle = real_fdopen(fd, mode)
        handle.write(b'{"format": "kaching-customer-lookup", "ver')  # half a file ...

        def explode(data: bytes) -> int:
            raise Interrupted  # ... then the process is interrupted

        handle.write = explode
        return handle

    monkeypatch.setattr(atomic.os, "fdopen", fdopen)
    with pytest.raises(Interrupted):
        save_config(LookupConfig(name="after"), path)
    monkeypatch.undo()
    assert path.read_bytes() == before and _leftovers(tmp_path) == []


def test_saving_into_a_missing_folder_is_explained(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="does not exist"):
        save_config(LookupConfig(), tmp_path / "missing" / "project.json")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_saving_into_a_read_only_folder_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "project.json"
    save_config(LookupConfig(name="before"), path)
    before = path.read_bytes()
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(SaveError, match="permission denied"):
            save_config(LookupConfig(name="after"), path)
    finally:
        tmp_path.chmod(0o700)
    assert path.read_bytes() == before and _leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_saving_keeps_the_files_permissions(tmp_path: Path) -> None:
    path = tmp_path / "shared.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o664)
    save_config(LookupConfig(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    fresh = tmp_path / "fresh.json"
    save_config(LookupConfig(), fresh)
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_file_with_embedded_secrets_is_owner_only(tmp_path: Path) -> None:
    config = LookupConfig(request=Request(auth=BearerAuth(token=SecretRef(secret="T", value="tok"))))
    path = tmp_path / "export.json"
    save_config(config, path, include_secrets=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_saving_through_a_symlink_replaces_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    save_config(LookupConfig(name="before"), target)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    save_config(LookupConfig(name="after"), link)
    assert link.is_symlink() and load_config(target).name == "after"


# ------------------------------------------------------------------------------------ secrets


def test_secret_values_are_dropped_unless_asked_for() -> None:
    config = LookupConfig(
        request=Request(
            method="POST",
            auth=BasicAuth(username="shop", password=SecretRef(secret="SHOP_PW", value="hunter2")),
            # The merchant API's own object that happens to look like a reference: not a secret.
            body=JsonBody(template={"filter": {"secret": "public-flag", "value": "{search_term}"}}),
        )
    )
    text = config_to_text(config)
    assert "hunter2" not in text
    back = config_from_text(text)
    assert back.secret_refs()[0] == SecretRef(secret="SHOP_PW")
    assert back.request.body.template == {"filter": {"secret": "public-flag", "value": "{search_term}"}}  # type: ignore[union-attr]
    assert config.secret_refs()[0].value == "hunter2"  # the caller's config is not changed
    assert config_from_text(config_to_text(config, include_secrets=True)) == config


# ------------------------------------------------------------------------------------ H046


H046_SCRIPT = textwrap.dedent(
    """
    import locale, sys
    from pathlib import Path
    from designer.core.config import FieldMapping, LookupConfig, Param, Request, ResponseSpec
    from designer.core.project_io import load_config, save_config

    encoding = locale.getpreferredencoding(False)
    assert encoding.lower().replace("-", "") not in ("utf8", "utf_8"), encoding
    config = LookupConfig(
        request=Request(query=[Param(name="shop", value="Ærø Cykler")]),
        response=ResponseSpec(fields={"city": FieldMapping(paths=["$['Bopæl']['By']"])}),
    )
    path = Path(sys.argv[1])
    save_config(config, path)
    assert load_config(path) == config
    print("saved and reloaded under", encoding)
    """
)


def test_h046_files_are_utf8_whatever_the_locale(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    # The C locale without UTF-8 mode: the default encoding is ASCII, stricter than cp1252.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8", "PYTHONIO"))}
    env.update({"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"})
    script = tmp_path / "h046.py"
    script.write_text(H046_SCRIPT, encoding="utf-8")  # source files are UTF-8; argv would not be
    done = subprocess.run(
        [sys.executable, str(script), str(path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "saved and reloaded under" in done.stdout
    data = path.read_bytes()
    assert "$['Bopæl']['By']".encode() in data and "Ærø Cykler".encode() in data
    config = load_config(path)  # and under this process's UTF-8
    assert config.response.fields["city"].paths == ["$['Bopæl']['By']"]
    assert config.request.query[0].value == "Ærø Cykler"


# ------------------------------------------------------------------------------------ round trip


text = st.text(max_size=12)
json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12)
    | text
)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
secret_refs = st.builds(
    SecretRef, secret=st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}", fullmatch=True), value=st.none() | text
)
params = st.builds(Param, name=text, value=text, enabled=st.booleans())
headers = st.builds(
    Header, name=text, value=text, enabled=st.booleans(), encoding=st.sampled_from(["reject", "percent"])
)
bodies = st.one_of(
    st.builds(NoBody),
    st.builds(JsonBody, template=json_values),
    st.builds(FormBody, fields=st.lists(params, max_size=3)),
    st.builds(RawBody, text=text, content_type=text),
)
auths = st.one_of(
    st.builds(NoAuth),
    st.builds(BasicAuth, username=text, password=secret_refs),
    st.builds(BearerAuth, token=secret_refs),
    st.builds(
        ApiKeyAuth,
        location=st.sampled_from(["header", "query"]),
        name=text.filter(bool),
        value=secret_refs,
        prefix=text,
    ),
)
seconds = st.floats(min_value=0.001, max_value=600, allow_nan=False)
requests = st.builds(
    Request,
    method=st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]),
    url=text,
    query=st.lists(params, max_size=3),
    headers=st.lists(headers, max_size=3),
    body=bodies,
    auth=auths,
    timeouts=st.builds(Timeouts, connect=seconds, read=seconds, total=seconds),
    transport=st.builds(
        Transport,
        verify_tls=st.booleans(),
        ca_bundle=st.none() | text,
        proxy=st.none() | text,
        use_system_proxy=st.booleans(),
        follow_redirects=st.booleans(),
        max_redirects=st.integers(0, 30),
        max_response_bytes=st.integers(1, 10**12),
    ),
)
field_mappings = st.builds(
    FieldMapping,
    paths=st.lists(text, max_size=3),
    combine=st.sampled_from(["join", "first"]),
    separator=text,
    default=st.none() | text,
    transforms=st.lists(
        st.builds(
            Transform,
            name=st.sampled_from(["trim", "upper", "lower", "to_string", "parse_number", "first_non_empty"]),
            decimal_separator=st.sampled_from(["auto", "comma", "point"]),
        ),
        max_size=2,
    ),
)
configs = st.builds(
    LookupConfig,
    name=text,
    request=requests,
    response=st.builds(
        ResponseSpec,
        records_path=text,
        single_object_is_record=st.booleans(),
        no_match_statuses=st.lists(st.integers(100, 599), max_size=3),
        strip_prefix=st.none() | text,
        fields=st.dictionaries(st.sampled_from(CUSTOMER_FIELDS), field_mappings, max_size=4),
    ),
    test_inputs=st.builds(TestInputs, search_term=text, currency_code=text),
    production_hosts=st.lists(text, max_size=2),
)


@given(configs)
def test_config_to_text_to_config_is_lossless(config: LookupConfig) -> None:
    text_form = config_to_text(config, include_secrets=True)
    back = config_from_text(text_form)
    assert back == config
    assert config_to_text(back, include_secrets=True) == text_form  # and the text is stable
    json.loads(text_form, parse_constant=lambda c: pytest.fail(f"{c} written"))  # strict JSON
    without = config_from_text(config_to_text(config))
    assert all(ref.value is None for ref in without.secret_refs())
    assert without.request.body == config.request.body and without.response == config.response


def test_numbers_in_a_template_keep_their_digits_through_a_file(tmp_path: Path) -> None:
    template = {"amount": Decimal("1234.50"), "id": 12345678901234567890, "tiny": Decimal("0.000001")}
    config = LookupConfig(request=Request(method="POST", body=JsonBody(template=template)))
    path = tmp_path / "p.json"
    text_form = save_config(config, path)
    assert '"amount": 1234.50' in text_form and '"id": 12345678901234567890' in text_form
    assert '"tiny": 0.000001' in text_form
    assert load_config(path) == config
