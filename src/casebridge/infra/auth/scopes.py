"""The OAuth scopes CaseBridge knows (docs/contract.md, "Scopes"), and their text form."""

from __future__ import annotations

from collections.abc import Iterable

KNOWN_SCOPES: tuple[str, ...] = (
    "cases:read",
    "cases:write",
    "evidence:write",
    "joint-actions:write",
    "history:read",
)
_ORDER = {scope: i for i, scope in enumerate(KNOWN_SCOPES)}


class UnknownScopeError(ValueError):
    """A scope outside `KNOWN_SCOPES`, or no scope at all."""

    def __init__(self, unknown: Iterable[str]) -> None:
        self.unknown = tuple(sorted(unknown))
        if self.unknown:
            message = f"unknown scope {', '.join(self.unknown)}; known scopes: {' '.join(KNOWN_SCOPES)}"
        else:
            message = f"at least one scope is needed; known scopes: {' '.join(KNOWN_SCOPES)}"
        super().__init__(message)


def split_scope(value: str | Iterable[str]) -> list[str]:
    """The scope names in an RFC 6749 scope string (space-separated) or an iterable of names."""
    if isinstance(value, str):
        return value.split()
    return [name for item in value for name in str(item).split()]


def parse_scope(value: str | Iterable[str]) -> frozenset[str]:
    """Known scope names from `value`; any unknown name (or none at all) is an error."""
    names = frozenset(split_scope(value))
    unknown = names.difference(_ORDER)
    if unknown or not names:
        raise UnknownScopeError(unknown)
    return names


def known_scopes_in(value: str | Iterable[str]) -> frozenset[str]:
    """The known scope names in `value`, others ignored (an external provider adds its own)."""
    return frozenset(name for name in split_scope(value) if name in _ORDER)


def format_scope(scopes: Iterable[str]) -> str:
    """The canonical scope string: known names in their documented order, space-separated."""
    return " ".join(sorted(set(scopes), key=lambda name: (_ORDER.get(name, len(_ORDER)), name)))
