"""Synthetic merchant responses for the benchmarks: N customer records of ~350 bytes each.

Each record has a numeric id above 2^53, split names with Nordic letters, a key with a space
(``"phone numbers"``), a nested list of addresses of which one is the default, and an account
balance. ``fractional=False`` writes the balance in øre (an integer) instead of a decimal, to
measure the parse of bodies without fractions separately. Deterministic: same N, same bytes.
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

FIRST = ["Ada", "Bo", "Åse", "Søren", "Ærling", "Øydis", "Mette", "Lars", "Kirsten", "Jørgen"]
LAST = ["Jensen", "Holm", "Ærø", "Sørensen", "Østergaard", "Nielsen", "Bæk", "Løkke", "Dahl", "Kjær"]
CITIES = [("Århus", 8000), ("København", 1050), ("Odense", 5000), ("Ålborg", 9000), ("Køge", 4600)]
STREETS = ["Bispegade", "Lagervej", "Søndergade", "Åboulevarden", "Nørregade", "Vestergade"]


#: The simple-path mapping of these records (names, indexes, a key with a space), as a
#: consultant would click it together; the benchmarks map with it.
SIMPLE_FIELDS: dict[str, list[str]] = {
    "identifier": ["$.customerNo"],
    "name": ["$.first_name", "$.last_name"],
    "street": ["$.addresses[0].street"],
    "city": ["$.addresses[0].city"],
    "postal_code": ["$.addresses[0].zip"],
    "country_code": ["$.addresses[0].country"],
    "phone": ["$['phone numbers'][0]"],
    "email": ["$['e-mail']"],
    "balance.identifier": ["$.account.id"],
    "balance.balance": ["$.account.balance"],
}


def _record(i: int, rng: random.Random, *, fractional: bool = True) -> dict[str, Any]:
    city, postal = CITIES[i % len(CITIES)]
    street = STREETS[i % len(STREETS)]
    amount = rng.randrange(0, 10_000_000)
    return {
        "customerNo": 9_007_199_254_740_993 + i,  # above 2^53: must stay exact
        "first_name": FIRST[i % len(FIRST)],
        "last_name": LAST[(i // 10) % len(LAST)],
        "e-mail": f"k{i}@example.dk",
        "phone numbers": [f"+45 {20_000_000 + i}"],
        "addresses": [
            {
                "default": False,
                "street": f"{street} {i % 90 + 1}",
                "zip": postal,
                "city": city,
                "country": "DK",
            },
            {
                "default": True,
                "street": f"{street} {i % 70 + 2}",
                "zip": postal,
                "city": city,
                "country": "DK",
            },
        ],
        "account": {
            "id": f"GC-{i:07d}",
            # A decimal is carried as text here and unquoted in the JSON text (no float on the way).
            "balance": f"{amount // 100}.{amount % 100:02d}" if fractional else amount,
        },
    }


def response_text(n: int, *, fractional: bool = True, seed: int = 7) -> str:
    """``{"customers": [...]}`` with ``n`` records, as compact JSON text."""
    rng = random.Random(seed)
    parts = []
    for i in range(n):
        text = json.dumps(_record(i, rng, fractional=fractional), ensure_ascii=False, separators=(",", ":"))
        parts.append(text)
    body = '{"customers":[' + ",".join(parts) + "]}"
    # Raw decimals were dumped as strings; unquote them so they are JSON numbers.
    return _unquote_decimals(body) if fractional else body


def _unquote_decimals(body: str) -> str:
    return re.sub(r'"balance":"(\d+\.\d+)"', r'"balance":\1', body)


def response_bytes(n: int, *, fractional: bool = True) -> bytes:
    return response_text(n, fractional=fractional).encode("utf-8")


if __name__ == "__main__":
    sample = response_text(3)
    print(sample[:600])
    print(f"{len(response_bytes(1000)) / 1000:.0f} bytes per record")
