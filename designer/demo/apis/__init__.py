"""The demo APIs, one module per imitated kind of merchant system."""

from __future__ import annotations

from designer.demo.apis import businesscentral, economic, hubspot, legacy, odoo, shopify, woocommerce
from designer.demo.apis._common import DemoApi

ALL_APIS: tuple[DemoApi, ...] = (
    woocommerce.API,
    businesscentral.API,
    hubspot.API,
    odoo.API,
    shopify.API,
    economic.API,
    legacy.API,
)

__all__ = ["ALL_APIS", "DemoApi"]
