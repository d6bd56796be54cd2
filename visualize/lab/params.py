"""Checked access to a request's parameters: each getter names the parameter it refuses."""

from __future__ import annotations

import math

__all__ = ["LabError", "Params"]


class LabError(Exception):
    """A refusal or error the page shows: a message id of the catalog and its parameters."""

    def __init__(self, message_id: str, **params):
        from visualize.lab.messages import render

        self.id, self.params = message_id, params
        super().__init__(render(message_id, params))

    def to_json(self) -> dict:
        return {"id": self.id, "params": {k: _plain(v) for k, v in self.params.items()},
                "text": str(self)}


def _plain(value):
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


class Params:
    """A request's ``params`` object, read with a type and a range per name."""

    def __init__(self, params):
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise LabError("bad_param", name="params", expected="an object")
        self.raw = params

    def has(self, name: str) -> bool:
        return self.raw.get(name) is not None

    def text(self, name: str, default: str | None = None, limit: int = 200,
             too_long: str | None = None) -> str:
        value = self.raw.get(name, default)
        if value is None:
            raise LabError("bad_param", name=name, expected="given")
        if not isinstance(value, str):
            raise LabError("bad_param", name=name, expected="a string")
        if len(value) > limit:
            if too_long:
                raise LabError(too_long, count=len(value), limit=limit)
            raise LabError("bad_param", name=name, expected=f"at most {limit} characters long")
        return value

    def number(self, name: str, default: float | None = None, low: float = -math.inf,
               high: float = math.inf) -> float:
        value = self.raw.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise LabError("bad_param", name=name, expected="a number")
        value = float(value)
        if not math.isfinite(value) or not low <= value <= high:
            raise LabError("bad_param", name=name, expected=f"a finite number from {low:g} "
                                                            f"to {high:g}")
        return value

    def integer(self, name: str, default: int | None = None, low: int = 0,
                high: int = 10 ** 9) -> int:
        value = self.raw.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise LabError("bad_param", name=name, expected=f"a whole number from {low} to {high}")
        return value

    def choice(self, name: str, options, default: str | None = None) -> str:
        value = self.raw.get(name, default)
        if value not in options:
            raise LabError("bad_param", name=name, expected="one of " + ", ".join(options))
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name, default)
        if not isinstance(value, bool):
            raise LabError("bad_param", name=name, expected="true or false")
        return value

    def numbers(self, name: str, limit: int = 1000) -> dict[str, float]:
        """An object of name -> finite number (missing: empty)."""
        value = self.raw.get(name) or {}
        if not isinstance(value, dict) or len(value) > limit:
            raise LabError("bad_param", name=name,
                           expected=f"an object of at most {limit} names and numbers")
        out = {}
        for key, x in value.items():
            if not isinstance(key, str) or len(key) > 100:
                raise LabError("bad_param", name=name, expected="names of at most 100 characters")
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
                raise LabError("bad_param", name=f"{name}.{key}", expected="a finite number")
            out[key] = float(x)
        return out

    def number_list(self, name: str, limit: int, default: list | None = None) -> list[float]:
        value = self.raw.get(name, default)
        if not isinstance(value, list) or len(value) > limit or not all(
                not isinstance(x, bool) and isinstance(x, (int, float)) and math.isfinite(x)
                for x in value):
            raise LabError("bad_param", name=name,
                           expected=f"a list of at most {limit} finite numbers")
        return [float(x) for x in value]

    def int_list(self, name: str, limit: int, low: int, high: int,
                 default: list | None = None) -> list[int]:
        value = self.raw.get(name, default)
        if not isinstance(value, list) or len(value) > limit or not all(
                not isinstance(x, bool) and isinstance(x, int) and low <= x <= high
                for x in value):
            raise LabError("bad_param", name=name, expected=f"a list of at most {limit} whole "
                                                            f"numbers from {low} to {high}")
        return value

    def strings(self, name: str, limit: int = 100, length: int = 100) -> list[str]:
        value = self.raw.get(name) or []
        if not isinstance(value, list) or len(value) > limit or not all(
                isinstance(x, str) and len(x) <= length for x in value):
            raise LabError("bad_param", name=name, expected=f"a list of at most {limit} names")
        return value
