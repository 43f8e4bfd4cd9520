"""The unified social credit code (统一社会信用代码, GB 32100-2015) of a legal person or other organisation.

Eighteen characters from an alphabet of 31 (digits and capitals without I, O, Z, S, V):
1 registration authority, 2 kind of entity, 3-8 the registering office's administrative-division
code (GB/T 2260), 9-17 the organisation code (GB 11714), 18 a check character: with each
character's index in the alphabet as its value and the weights 3^i mod 31 (1, 3, 9, 27, 19 ...),
the check's value is 31 - (weighted sum mod 31), 31 counting as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from casebridge.domain.errors import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18


class InvalidCreditCodeError(ValidationError):
    def __init__(self, reason: str, field: str) -> None:
        super().__init__(f"{field} is not a unified social credit code (GB 32100): {reason}", field=field)
        self.reason = reason


def check_character(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters (which must be in the alphabet)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


@dataclass(frozen=True, slots=True)
class CreditCode:
    value: str

    @classmethod
    def parse(cls, text: str, field: str = "creditCode") -> CreditCode:
        """A valid code from `text` (surrounding spaces ignored, lower case read as upper case),
        or InvalidCreditCodeError naming `field` and what is wrong."""
        if not isinstance(text, str):
            raise InvalidCreditCodeError("expected text", field)
        code = text.strip().upper()
        if len(code) != LENGTH:
            raise InvalidCreditCodeError(f"it has {len(code)} characters, not {LENGTH}", field)
        for position, ch in enumerate(code, start=1):
            if ch not in _VALUE:
                hint = " (I, O, Z, S and V are never used)" if ch in "IOZSV" else ""
                raise InvalidCreditCodeError(f"character {position} {ch!r} is not allowed{hint}", field)
        if not code[2:8].isdigit():
            raise InvalidCreditCodeError("characters 3-8 must be the registering office's division code (digits)", field)
        if check_character(code[:17]) != code[17]:
            raise InvalidCreditCodeError("the check character (the 18th) does not match the other 17", field)
        return cls(code)

    @classmethod
    def is_valid(cls, text: str) -> bool:
        try:
            cls.parse(text)
        except InvalidCreditCodeError:
            return False
        return True

    @property
    def division(self) -> str:
        """The administrative-division code of the registering office (characters 3-8)."""
        return self.value[2:8]

    @property
    def organization_code(self) -> str:
        """The GB 11714 organisation code (characters 9-17)."""
        return self.value[8:17]

    def __str__(self) -> str:
        return self.value
