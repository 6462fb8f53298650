"""The test search bar and the runner: Send, Ctrl+Enter, Cancel, latest request wins.

These tests give the window a stand-in for the core's ``lookup`` (narrow unit tests of the
GUI's async plumbing); the journey tests send real HTTP to servers on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from qt_helpers import find

from designer.core.config import LookupConfig
from designer.core.customer import Customer
from designer.core.decode import decode_body
from designer.core.errors import ConnectionRefusedError_
from designer.core.model_types import Exchange, Inputs, MappingResult, RecordResult, RenderedRequest
from designer.gui.main_window import MainWindow
from designer.gui.search_bar import describe_result

MakeWindow = Callable[..., MainWindow]


@dataclass
class FakeResult:
    customers: tuple[Customer, ...] = ()
    mapping: MappingResult | None = None
    exchange: Exchange | None = None
    error: Exception | None = None
    notes: tuple[str, ...] = ()
    # What the runtime decodes from the fake exchange's body b"[]" (the panels read it).
    decoded: Any = field(default_factory=lambda: decode_body(b"[]", "application/json"))


def _exchange(status: int = 200, body: bytes = b"[]") -> Exchange:
    return Exchange(
        request=RenderedRequest("GET", "http://127.0.0.1/x", ()),
        status=status,
        reason="OK" if status == 200 else "Internal Server Error",
        elapsed_ms=12.4,
        size=len(body),
        body=body,
    )


def _result(term: str, count: int = 2) -> FakeResult:
    customers = tuple(Customer(identifier=f"{term}-{i}") for i in range(count))
    records = tuple(RecordResult(i, c, {}) for i, c in enumerate(customers))
    return FakeResult(customers, MappingResult(customers, records, ()), _exchange())


@dataclass
class FakeLookup:
    """Answers per search term; a term listed in ``hold`` waits until released."""

    hold: dict[str, asyncio.Event] = field(default_factory=dict)
    calls: list[Inputs] = field(default_factory=list)
    fail_with: Exception | None = None

    async def __call__(self, config: LookupConfig, inputs: Inputs, **_: Any) -> FakeResult:
        self.calls.append(inputs)
        if inputs.search_term in self.hold:
            await self.hold[inputs.search_term].wait()
        if self.fail_with is not None:
            raise self.fail_with
        return _result(inputs.search_term)


def _status(window: MainWindow) -> str:
    return find(window, QLabel, "statusLabel").text()


def test_inputs_are_part_of_the_project(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window(lookup=FakeLookup())
    term = find(window, QLineEdit, "searchTermEdit")
    currency = find(window, QLineEdit, "currencyEdit")
    qtbot.keyClicks(term, "Jensen & Søn")
    currency.selectAll()
    qtbot.keyClicks(currency, "sek")
    assert currency.text() == "SEK"
    inputs = window.document.config.test_inputs
    assert (inputs.search_term, inputs.currency_code) == ("Jensen & Søn", "SEK")
    assert window.document.undo_stack.count() == 2


def test_ctrl_enter_sends_and_the_status_line_tells_the_result(qtbot: QtBot, make_window: MakeWindow) -> None:
    fake = FakeLookup()
    window = make_window(lookup=fake)
    term = find(window, QLineEdit, "searchTermEdit")
    qtbot.keyClicks(term, "ada")
    qtbot.keyClick(term, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "records found" in _status(window))
    assert _status(window) == "HTTP 200 OK · 12 ms · 2 B · 2 records found"
    assert fake.calls == [Inputs("ada", "DKK")]
    assert not window.document.busy
    assert window.document.response is not None and window.document.response.source == "request"
    # Enter in the search term and the Send button send too.
    qtbot.keyClick(term, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(fake.calls) == 2 and not window.document.busy)
    qtbot.mouseClick(find(window, QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(fake.calls) == 3 and not window.document.busy)


def test_h037_cancel_shows_cancelled_and_no_error_dialog(qtbot: QtBot, make_window: MakeWindow) -> None:
    release = asyncio.Event()
    fake = FakeLookup(hold={"slow": release})
    window = make_window(lookup=fake)
    qtbot.keyClicks(find(window, QLineEdit, "searchTermEdit"), "slow")
    send, cancel = find(window, QPushButton, "sendButton"), find(window, QPushButton, "cancelButton")
    assert not cancel.isEnabled()
    qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Sending" in _status(window))
    assert cancel.isEnabled()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _status(window) == "cancelled")
    assert not cancel.isEnabled()
    assert QApplication.activeModalWidget() is None
    assert window.document.response is None  # nothing half-finished was shown
    qtbot.waitUntil(lambda: not window.runner.running)


def test_latest_request_wins(qtbot: QtBot, make_window: MakeWindow) -> None:
    release = asyncio.Event()
    fake = FakeLookup(hold={"first": release})
    window = make_window(lookup=fake)
    term = find(window, QLineEdit, "searchTermEdit")
    qtbot.keyClicks(term, "first")
    qtbot.keyClick(term, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(fake.calls) == 1)
    term.selectAll()
    qtbot.keyClicks(term, "second")
    qtbot.keyClick(term, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "records found" in _status(window))
    release.set()
    qtbot.waitUntil(lambda: not window.runner.running)
    response = window.document.response
    assert response is not None
    assert _status(window).endswith("2 records found")  # not "cancelled": superseded silently
    assert [c.search_term for c in fake.calls] == ["first", "second"]


def test_h037_an_exception_in_the_async_slot_is_shown_and_the_app_stays_usable(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    fake = FakeLookup(fail_with=RuntimeError("boom in the engine"))
    window = make_window(lookup=fake)
    qtbot.mouseClick(find(window, QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "boom in the engine" in _status(window))
    assert find(window, QLabel, "statusLabel").property("kind") == "error"
    fake.fail_with = None
    qtbot.mouseClick(find(window, QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "records found" in _status(window))


def test_closing_the_window_during_a_request_cancels_it(qtbot: QtBot, make_window: MakeWindow) -> None:
    fake = FakeLookup(hold={"": asyncio.Event()})
    window = make_window(lookup=fake)
    qtbot.mouseClick(find(window, QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.runner.running)
    with qtbot.waitSignal(window.closed):
        window.close()
    qtbot.waitUntil(lambda: not window.runner.running)


def test_status_text_for_errors_keeps_the_raw_body_available() -> None:
    error = ConnectionRefusedError_("the server at 127.0.0.1:9 refused the connection")
    text, kind = describe_result(FakeResult(error=error))
    assert (text, kind) == ("the server at 127.0.0.1:9 refused the connection", "error")
    text, kind = describe_result(FakeResult(exchange=_exchange(500, b"<html>oops</html>"), error=error))
    assert text.startswith("HTTP 500 Internal Server Error · 12 ms · 17 B · the server")
    assert text.endswith("the raw response is shown in the Response panel.")
    for size, shown in ((5, "5 B"), (2048, "2.0 KB"), (3 * 1024 * 1024, "3.0 MB")):
        text, _kind = describe_result(FakeResult(exchange=_exchange(200, b"x" * size), error=error))
        assert f" · {shown} · " in text  # the core's format_bytes, as in fetch's own messages


def test_after_a_pasted_response_the_status_line_describes_that_response(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """It kept saying "HTTP 200 … 2 records found" over a pasted response the lookup fails on."""
    window = make_window(lookup=FakeLookup())
    qtbot.mouseClick(find(window, QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "records found" in _status(window))
    assert _status(window) == "HTTP 200 OK · 12 ms · 2 B · 2 records found"

    window.response_sources.paste_text("<html><body>Please sign in</body></html>")
    qtbot.waitUntil(lambda: "the lookup fails" in _status(window))
    assert _status(window) == (
        "Pasted text · 40 B · the lookup fails: response is HTML, not JSON; often a sign-in or "
        "error page: check the URL and the credentials"
    )
    assert window.search_bar.status_label.property("kind") == "error"

    # A saved raw response keeps its status line, and the lookup reads it as the CLI does.
    window.response_sources.paste_text('HTTP/1.1 503 Service Unavailable\r\n\r\n{"error": "down"}')
    qtbot.waitUntil(lambda: "503" in _status(window) and "mapping…" not in _status(window))
    assert _status(window).startswith(
        "Pasted text · HTTP 503 Service Unavailable · 17 B · the lookup fails: "
    )

    window.response_sources.paste_text("[]")
    qtbot.waitUntil(lambda: "0 records found" in _status(window))
    assert _status(window).splitlines()[0] == "Pasted text · 2 B · 0 records found"


SIZES_AT_START = r"""
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from designer.gui.main_window import MainWindow
window = MainWindow(deferred=True)
print("httpx before the panels:", "httpx" in sys.modules)
window.build()
from designer.core import fetch
from designer.gui import response_sources, response_text, search_bar
modules = (search_bar, response_sources, response_text)
print("one size format:", all(m.format_bytes is fetch.format_bytes for m in modules))
print("own copy:", any(hasattr(m, "format_size") for m in modules))
"""


def test_sizes_are_written_by_the_core_and_httpx_still_loads_after_the_first_paint() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", SIZES_AT_START], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "httpx before the panels: False" in done.stdout
    assert "one size format: True" in done.stdout
    assert "own copy: False" in done.stdout
