"""Built-in demo merchant APIs: real HTTP servers that behave like the systems consultants meet.

The demo lets the app and the test suite run end to end on a machine without network access.
Each API under :mod:`designer.demo.apis` imitates the documented request and response shapes of
one real kind of merchant system (webshop, ERP, CRM, accounting, ...), over one shared set of
fictional customers (:mod:`designer.demo.data`).
"""

from __future__ import annotations

from designer.demo.server import DEFAULT_PORT, SAMPLE_BASE_URL, DemoServer, rebase_sample_url

__all__ = ["DEFAULT_PORT", "SAMPLE_BASE_URL", "DemoServer", "rebase_sample_url"]
