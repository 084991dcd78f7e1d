"""Helpers for hierarchical region codes.

Every region is stored under a 12-digit code: 61 0000000000 (province), 6101 00000000 (city),
610102 000000 (county/district), 610102001 000 (street/township), 610102001001 (community/village).
"Everything under a node" is the code range [prefix000..., prefix999...], an index range scan on
SQLite and PostgreSQL alike.
"""
LEVEL_PREFIX_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}


def pad(code: str) -> str:
    code = code.strip()
    if not code.isdigit() or len(code) > 12:
        raise ValueError(f"invalid region code {code!r}")
    return code.ljust(12, "0")


def level_of(code: str) -> int:
    code = pad(code)
    if code[9:] != "000":
        return 5
    if code[6:9] != "000":
        return 4
    if code[4:6] != "00":
        return 3
    if code[2:4] != "00":
        return 2
    return 1


def significant_prefix(code: str) -> str:
    code = pad(code)
    return code[: LEVEL_PREFIX_LENGTH[level_of(code)]]


def code_range(prefix: str) -> tuple[str, str]:
    """Inclusive bounds of all 12-digit codes that start with ``prefix``."""
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


def parent_code(code: str) -> str | None:
    code = pad(code)
    level = level_of(code)
    if level == 1:
        return None
    return code[: LEVEL_PREFIX_LENGTH[level - 1]].ljust(12, "0")


def common_ancestor(codes: list[str]) -> str:
    """The 12-digit code of the lowest region node above (or at) every one of ``codes``: where a list that spans
    them (a publicity list, a payment batch) belongs."""
    prefixes = [significant_prefix(c) for c in codes]
    common = prefixes[0]
    for p in prefixes[1:]:
        while not p.startswith(common):
            common = common[:-1]
    for n in (12, 9, 6, 4, 2):
        if len(common) >= n:
            return pad(common[:n])
    return pad(common)
