"""Typed values of reports and specs, for the end-to-end checks."""


def numbers_in(value):
    """The numbers of a value: itself, or the elements of a vector or matrix (booleans are not
    numbers here)."""
    if isinstance(value, list):
        for item in value:
            yield from numbers_in(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield float(value)
