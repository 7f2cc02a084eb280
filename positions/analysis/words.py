"""Lists and counts in words, for the sentences the analysis writes."""

from __future__ import annotations


def join_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(kind: str, n: int) -> str:
    """A noun for n of them: 'company', 'companies', 'vessels'."""
    if n == 1:
        return kind
    return kind[:-1] + "ies" if kind.endswith("y") else kind + ("es" if kind.endswith("s") else "s")
