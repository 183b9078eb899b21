"""The one error a broken source list raises.

A source list is edited by hand, so a mistake in it must say *where* it is: the file, the
line of the entry (as close as we can tell) and which key is wrong. Callers such as the
CLI print the message as is; it is a ``ValueError`` so generic handlers still catch it.
"""

from __future__ import annotations


class SourceListError(ValueError):
    """A source list that cannot be read, with the place of the mistake in the message.

    ``line`` is the 1-based line of the faulty entry or key when it is known, so an
    editor integration can jump to it without parsing the message.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line
