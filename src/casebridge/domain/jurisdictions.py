"""The jurisdiction registry: administrative divisions and who supervises whom.

Reference data, not events: shipped with the package (`casebridge/data/jurisdictions.json`)
and extended by a deployment's own file in the same format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from casebridge.domain.errors import UnknownJurisdictionError

NATIONAL = "100000"


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    name_en: str
    parent: str | None


class JurisdictionRegistry:
    """An immutable tree of jurisdictions keyed by code."""

    def __init__(self, jurisdictions: Iterable[Jurisdiction]) -> None:
        self._by_code: dict[str, Jurisdiction] = {}
        for j in jurisdictions:
            self._by_code[j.code] = j
        for j in self._by_code.values():
            if j.parent is not None and j.parent not in self._by_code:
                raise ValueError(f"jurisdiction {j.code} names unknown parent {j.parent}")
        for code in self._by_code:  # reject cycles once, so ancestors() always ends
            seen = {code}
            parent = self._by_code[code].parent
            while parent is not None:
                if parent in seen:
                    raise ValueError(f"jurisdiction {code} is its own ancestor")
                seen.add(parent)
                parent = self._by_code[parent].parent

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> JurisdictionRegistry:
        return cls(_parse(data))

    @classmethod
    def load(cls, extra_file: str | Path | None = None) -> JurisdictionRegistry:
        """The shipped registry, extended (and overridden by code) by `extra_file`."""
        shipped = json.loads(resources.files("casebridge.data").joinpath("jurisdictions.json").read_text("utf-8"))
        merged = {j.code: j for j in _parse(shipped)}
        if extra_file:
            extra = json.loads(Path(extra_file).read_text("utf-8"))
            merged.update({j.code: j for j in _parse(extra)})
        return cls(merged.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Jurisdiction]:
        return iter(sorted(self._by_code.values(), key=lambda j: j.code))

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Jurisdiction:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownJurisdictionError(code) from None

    def require(self, code: str, field: str = "jurisdiction") -> str:
        if code not in self._by_code:
            raise UnknownJurisdictionError(code, field=field)
        return code

    def ancestors(self, code: str) -> list[str]:
        """Codes of the supervising jurisdictions of `code`, nearest first."""
        out: list[str] = []
        parent = self.get(code).parent
        while parent is not None:
            out.append(parent)
            parent = self._by_code[parent].parent
        return out

    def is_ancestor(self, ancestor: str, code: str) -> bool:
        return code in self._by_code and ancestor in self.ancestors(code)

    def common_superiors(self, *codes: str) -> list[str]:
        """Jurisdictions that supervise every one of `codes`, nearest first."""
        if not codes:
            return []
        common = self.ancestors(codes[0])
        for code in codes[1:]:
            others = set(self.ancestors(code))
            common = [c for c in common if c in others]
        return common


def _parse(data: Mapping[str, object]) -> list[Jurisdiction]:
    items = data.get("jurisdictions")
    if not isinstance(items, list):
        raise ValueError("jurisdictions file needs a 'jurisdictions' list")
    out = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str) or not item["code"].isdigit():
            raise ValueError(f"bad jurisdiction entry: {item!r}")
        out.append(
            Jurisdiction(
                code=item["code"],
                name=str(item.get("name") or item["code"]),
                name_en=str(item.get("name_en") or item.get("name") or item["code"]),
                parent=item.get("parent") or None,
            )
        )
    return out
