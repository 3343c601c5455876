"""Errors a user can act on. Everything the CLI or API shows comes from these, never a traceback."""

from __future__ import annotations


class InputError(Exception):
    """The input cannot be assessed: names the file and the problem in one line."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem
