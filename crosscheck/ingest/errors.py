"""The one error type ingestion reports: a bad input, named, with a reason on one line."""

from __future__ import annotations


class IngestError(Exception):
    """One bad input (file, record, feed entry, page). The batch goes on without it.

    `str(error)` is the single line the CLI prints: ``error: <input>: <reason>``.
    """

    def __init__(self, input_name: str, reason: str) -> None:
        super().__init__(input_name, reason)
        self.input_name = str(input_name)
        self.reason = str(reason)

    def __str__(self) -> str:
        # One line, whatever the reason text carried (exception messages can span lines).
        line = f"error: {self.input_name}: {self.reason}"
        return " ".join(line.split())

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, IngestError)
            and (self.input_name, self.reason) == (other.input_name, other.reason)
        )

    def __hash__(self) -> int:
        return hash((self.input_name, self.reason))
