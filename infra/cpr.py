"""CPR numbers: validation, birth date and century, masking, encryption and keyed lookup hash.

The CPR number is special-category data. It is stored only encrypted (Fernet, AES-128-CBC +
HMAC) and as a keyed HMAC-SHA256 for exact lookup; both keys are derived from ``CPR_KEY``.
Everything shown to people uses :func:`mask` (``DDMMYY-****``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from infra import datoer

# ASCII digits only: ``\d`` would also take Arabic-Indic, full-width and other Unicode digits, and
# the same number written in them would hash to a different citizen.
_CPR_RE = re.compile(r"^\s*([0-9]{2})([0-9]{2})([0-9]{2})-?([0-9])([0-9]{3})\s*$", re.ASCII)
# Anything in free text that looks like a CPR number (used by the log filter).
CPR_IN_TEXT_RE = re.compile(r"(?<!\d)(\d{6})[- ]?(\d{4})(?!\d)")


@dataclass(frozen=True)
class Cpr:
    """A validated CPR number in its canonical 10-digit form."""

    digits: str
    foedselsdato: dt.date

    @property
    def maskeret(self) -> str:
        return f"{self.digits[:6]}-****"

    @property
    def formateret(self) -> str:
        return f"{self.digits[:6]}-{self.digits[6:]}"

    def __str__(self) -> str:  # never leak by accident in logs or templates
        return self.maskeret

    __repr__ = __str__


def normaliser(value: str) -> str:
    """NFKC-normalised text: full-width digits and hyphens become ASCII, other scripts' digits stay
    what they are (and are then refused by :func:`parse`). Every CPR that enters goes through it."""
    return unicodedata.normalize("NFKC", value)


def century(seventh_digit: int, yy: int) -> int:
    """The century of the birth year from the 7th digit, per the CPR office's table."""
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if yy <= 36 else 1900
    # 5, 6, 7, 8
    return 2000 if yy <= 57 else 1800


def parse(value: str, *, today: dt.date | None = None) -> Cpr:
    """Validate a CPR number (with or without hyphen) and return it canonical.

    Checks the format, that the date exists, and that the person is not born in the future.
    The modulus-11 check is deliberately not applied: the CPR office has issued numbers that
    fail it since 2007.
    """
    if not isinstance(value, str):
        raise ValidationError("CPR-nummeret skal være tekst.", code="cpr_format")
    match = _CPR_RE.match(normaliser(value))
    if not match:
        raise ValidationError(
            "CPR-nummeret skal bestå af 10 cifre, eventuelt med bindestreg efter de første 6 (DDMMÅÅ-XXXX).",
            code="cpr_format",
        )
    dd, mm, yy, seventh, rest = match.groups()
    year = century(int(seventh), int(yy)) + int(yy)
    try:
        born = dt.date(year, int(mm), int(dd))
    except ValueError:
        raise ValidationError("CPR-nummerets første 6 cifre er ikke en gyldig dato.", code="cpr_dato") from None
    if born > (today or datoer.idag()):
        raise ValidationError("CPR-nummeret angiver en fødselsdato i fremtiden.", code="cpr_fremtid")
    return Cpr(digits=f"{dd}{mm}{yy}{seventh}{rest}", foedselsdato=born)


def mask(digits_or_date: str | dt.date) -> str:
    """``DDMMYY-****`` from a CPR number or a birth date."""
    if isinstance(digits_or_date, dt.date):
        return digits_or_date.strftime("%d%m%y") + "-****"
    return f"{digits_or_date[:6]}-****"


# --- Keys ------------------------------------------------------------------------------------
def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"sagsforloeb-cpr", info=purpose).derive(secret.encode())


@lru_cache(maxsize=8)
def _keys(current: str, previous: tuple[str, ...]) -> tuple[MultiFernet, bytes]:
    if not current or len(current) < 32:
        raise ImproperlyConfigured("CPR_KEY mangler eller er for kort (mindst 32 tegn).")
    fernets = [Fernet(base64.urlsafe_b64encode(_derive(k, b"encrypt"))) for k in (current, *previous)]
    return MultiFernet(fernets), _derive(current, b"lookup-hash")


def _current_keys() -> tuple[MultiFernet, bytes]:
    return _keys(settings.CPR_KEY, tuple(settings.CPR_KEYS_PREVIOUS))


def encrypt(cpr: Cpr) -> str:
    return _current_keys()[0].encrypt(cpr.digits.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current_keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("CPR-nummeret kan ikke dekrypteres med de konfigurerede nøgler.") from exc


def lookup_hash(cpr: Cpr) -> str:
    """Keyed hash for exact lookup; without the key it cannot be reversed by enumerating CPRs."""
    return hmac.new(_current_keys()[1], cpr.digits.encode(), hashlib.sha256).hexdigest()


def rotate_token(token: str) -> str:
    """Re-encrypt a token under the current key (used by key rotation)."""
    return _current_keys()[0].rotate(token.encode()).decode()
