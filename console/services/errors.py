"""Errors a user can meet in a service call.

Each carries one sentence that says what went wrong and, where it helps,
what to do next. The CLI prints it and exits 2; the GUI shows it in the
status bar. Stack traces go to the log, never to the user.
"""

from __future__ import annotations


class UserError(Exception):
    """The user asked for something that cannot be done as asked."""


class NotFound(UserError):
    pass


class PermissionDenied(UserError):
    pass


class InvalidArgument(UserError):
    pass
