import pytest
from django.core.exceptions import ValidationError

from assessment.validators import credit_code_check_character, validate_credit_code

# Published codes of real companies (their check characters are what GB 32100-2015 gives).
REAL_CODES = ["91440300708461136T", "91110000100010433L", "91370200163562681G"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_are_accepted(code):
    validate_credit_code(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_check_character_matches_published_codes(code):
    assert credit_code_check_character(code[:17]) == code[17]


def test_wrong_check_digit_is_refused():
    code = REAL_CODES[0]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(wrong)
    assert refused.value.code == "credit_code_check_digit"


def test_wrong_length_is_refused():
    with pytest.raises(ValidationError) as refused:
        validate_credit_code("9144030070846113")
    assert refused.value.code == "credit_code_length"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_outside_the_charset_are_refused(letter):
    with pytest.raises(ValidationError) as refused:
        validate_credit_code("9144030070846113" + letter + "T")
    assert refused.value.code == "credit_code_characters"
