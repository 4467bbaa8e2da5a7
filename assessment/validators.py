"""Validators for Chinese identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the unified social credit code uses 31 characters (no I, O, Z, S, V).
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first_17: str) -> str:
    total = sum(
        CREDIT_CODE_CHARSET.index(char) * weight
        for char, weight in zip(first_17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = value.strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="credit_code_length",
            params={"count": len(code)},
        )
    bad = sorted({char for char in code if char not in CREDIT_CODE_CHARSET})
    if bad:
        raise ValidationError(
            _("A unified social credit code cannot contain %(characters)s."),
            code="credit_code_characters",
            params={"characters": ", ".join(bad)},
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check digit of this unified social credit code is wrong; please re-check it."),
            code="credit_code_check_digit",
        )
