"""Errors with stable codes. Only kg.cli turns them into exit codes and one-line messages."""

from __future__ import annotations


class KGError(Exception):
    """Root of kg's errors. `code` is the process exit code the CLI uses."""

    code = 1

    def __init__(self, message: str):
        message = " ".join(message.split())  # one line, whatever a library put into it
        super().__init__(message)
        self.message = message


class InputError(KGError):
    """Input that cannot be read at all (missing path, unknown format, --strict rejects)."""

    code = 2


class OutputError(KGError):
    """An output file cannot be written (unknown suffix, unwritable directory)."""

    code = 2


class SchemaError(KGError):
    """The graph breaks the contract in schemas/graph.json."""

    code = 4
