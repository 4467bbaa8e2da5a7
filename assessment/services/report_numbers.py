"""Report and certificate numbers: 64+ bits of randomness, a check code, legacy numbers kept.

A number reads ``IIP-<CYCLE>-XXXX-XXXX-XXXX-XXXX``: 13 random Crockford base-32 characters
(65 bits from :mod:`secrets`, so numbers cannot be enumerated) and a 3-character check (an HMAC
of the rest with the ``SECRET_KEY``, 15 bits, so a mistyped number is refused before any
look-up). Numbers issued before this format (``IIP-<CYCLE>-<6-digit serial>-<4 hex>``) are
still well-formed and verify: they are looked up as stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_CHARACTERS = 13  # 65 bits
CHECK_CHARACTERS = 3
_SYMBOL = "[0-9A-HJKMNP-TV-Z]"
NUMBER_PATTERN = re.compile(rf"^IIP-([A-Z0-9_-]{{1,20}})-({_SYMBOL}{{4}}(?:-{_SYMBOL}{{4}}){{3}})$")
LEGACY_PATTERN = re.compile(r"^IIP-([A-Za-z0-9_-]{1,20})-(\d{6,})-([0-9A-F]{4})$")
# Crockford's reading of look-alike characters, applied to the random part of a typed number.
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _encode(value: int, length: int) -> str:
    characters = []
    for _position in range(length):
        value, digit = divmod(value, 32)
        characters.append(CROCKFORD[digit])
    return "".join(reversed(characters))


def _check(prefix: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), prefix.encode(), hashlib.sha256).digest()
    return _encode(int.from_bytes(digest[:4], "big"), CHECK_CHARACTERS)


def new_report_number(cycle_code: str) -> str:
    """A fresh random number for a cycle (upper case: a number typed in any case is found)."""
    random_part = _encode(secrets.randbits(5 * RANDOM_CHARACTERS), RANDOM_CHARACTERS)
    prefix = f"IIP-{cycle_code.upper()}-{random_part}"
    body = random_part + _check(prefix)
    return f"IIP-{cycle_code.upper()}-" + "-".join(body[i : i + 4] for i in range(0, 16, 4))


def normalise_report_number(text: str) -> str:
    number = re.sub(r"\s+", "", text or "").upper()
    if NUMBER_PATTERN.match(number) is None and len(number) > 19:
        # Look-alike letters in the random part (O for 0, I or L for 1).
        candidate = number[:-19] + number[-19:].translate(_TYPED)
        if NUMBER_PATTERN.match(candidate):
            return candidate
    return number


def report_number_is_well_formed(number: str) -> bool:
    """A current number with a correct check code, or a number in the legacy format."""
    if LEGACY_PATTERN.match(number):
        return True
    match = NUMBER_PATTERN.match(number)
    if match is None:
        return False
    body = match.group(2).replace("-", "")
    prefix = f"IIP-{match.group(1)}-{body[:RANDOM_CHARACTERS]}"
    return hmac.compare_digest(body[RANDOM_CHARACTERS:], _check(prefix))
