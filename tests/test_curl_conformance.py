"""Every pair of ../shared/conformance/curl: import the command, send it, compare with curl's wire.

Each command is imported, its request sent through the runtime path (``render_request`` +
``fetch``) to a recording server on 127.0.0.1, and what arrived is compared with the request
curl sent (``wire/NAME.txt``) under the rules of ``curl_wire.differences`` (which lists every
header it ignores and why). Three outcomes, each asserted strictly:

* the pair matches;
* the command reads a file, standard input or an environment variable, or holds several URLs:
  then the specific warning is the right answer (``WARNED``: the codes that must appear, each
  naming an option of the command);
* a known exception curl's behaviour cannot be matched for (``EXPECTED_EXCEPTIONS``, one reason
  each); it must still not match, so a pair that starts passing is noticed and moved out.

The counts are printed (``pytest -s`` shows them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from curl_wire import differences, parse_wire, send
from http_servers import Reply, http_server
from shared_data import shared_path

from designer.core.curl_import import CurlImport, import_curl

#: Commands that read a file, stdin or an environment variable, or hold several URLs.
WARNED: dict[str, set[str]] = {
    "commented_json_with_session": {"cookie_jar"},  # -b cookies.txt reads a jar, -c writes one
    "get_with_env_var": {"env_var"},  # $DO_API_TOKEN
    "multiple_urls": {"several_urls", "upload", "next"},
    "post_binary_file": {"reads_file"},  # --data-binary @./sample.sparql
    "put_with_T_option": {"upload"},  # -T my_file.txt
    "put_with_file": {"reads_file"},  # --data @new_file
    "read_cookies_and_mixed_auth": {"cookie_jar"},  # -b cookies.txt (the Bearer token wins over -u)
    "read_stdin": {"reads_stdin"},
    "redirect_command_data": {"reads_stdin"},  # --data @- < `echo myfile.jg`
    "redirect_command_url_query": {"reads_stdin"},
    "redirect_variable_data": {"reads_stdin"},  # < $FILENAME
    "upload_file": {"upload"},
    "url_query": {"several_urls"},
    "url_query_reads_file": {"reads_file", "several_urls"},
}

#: Pairs whose curl request a lookup config cannot reproduce, with the reason.
EXPECTED_EXCEPTIONS: dict[str, str] = {
    "options": "OPTIONS is not a method a lookup config sends (GET, POST, PUT, PATCH, DELETE, HEAD); "
    "the import warns ('method') and uses GET",
    "strange_http_method": "curl sends the made-up method 'wHat' verbatim; a lookup config has a fixed "
    "method list, so the import warns ('method') and uses GET",
}


def _pairs() -> list[tuple[str, Path, Path]]:
    folder = shared_path("conformance", "curl")
    pairs = []
    for command in sorted((folder / "commands").glob("*.sh")):
        wire = folder / "wire" / f"{command.stem}.txt"
        assert wire.exists(), f"{command.name} has no wire file"
        pairs.append((command.stem, command, wire))
    return pairs


def _outcome(name: str, imported: CurlImport, command: str, found: list[str]) -> str | None:
    """None when the pair behaves as its table says, else what is wrong."""
    if name in WARNED:
        missing = WARNED[name] - {m.code for m in imported.warnings}
        if missing:
            return f"expected the warnings {sorted(missing)}, got {[str(m) for m in imported.warnings]}"
        unnamed = [m for m in imported.warnings if m.code in WARNED[name] and m.option not in command]
        return f"warnings that name no option of the command: {unnamed}" if unnamed else None
    if name in EXPECTED_EXCEPTIONS:
        if not found:
            return "now matches curl: remove it from EXPECTED_EXCEPTIONS"
        return None if "method" in {m.code for m in imported.warnings} else "no 'method' warning"
    return "; ".join(found) or None


def _secrets(imported: CurlImport) -> dict[str, str]:
    """The values found; a reference to an environment variable ($DO_API_TOKEN) gets the variable's
    unexpanded text, which is what the wire file shows (it was recorded without that variable)."""
    unset = {c.secret: f"${c.secret}" for c in imported.credentials if not c.has_value}
    return {**unset, **imported.secrets}


def test_every_conformance_pair_matches_curl_or_gives_the_specific_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pairs = _pairs()
    assert set(WARNED) | set(EXPECTED_EXCEPTIONS) <= {name for name, _, _ in pairs}, "stale table entry"
    failures: list[str] = []
    matched: list[str] = []
    with http_server(Reply(body=b"[]")) as served:
        for name, command_path, wire_path in pairs:
            command = command_path.read_text(encoding="utf-8")
            imported = import_curl(command)
            arrived = send(imported.request, _secrets(imported), served)
            found = differences(imported.request, arrived, parse_wire(wire_path.read_text("utf-8")))
            if not found:
                matched.append(name)
            problem = _outcome(name, imported, command, found)
            if problem:
                failures.append(f"{name}: {problem}")
        assert not served.errors, served.errors
    compared = [name for name, _, _ in pairs if name not in WARNED]
    matching = [name for name in compared if name in matched]
    warned_matching = [name for name in WARNED if name in matched]
    with capsys.disabled():
        print(
            f"\ncURL conformance: {len(matching)}/{len(compared)} pairs match curl's wire request "
            f"(known exceptions: {', '.join(EXPECTED_EXCEPTIONS)}); {len(WARNED)} pairs read files, "
            f"stdin or env vars or hold several URLs and give the specific warning "
            f"({len(warned_matching)} of them still match the wire file)"
        )
    assert not failures, "\n".join(failures)
