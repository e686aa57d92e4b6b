"""Errors a user can fix: the command prints the message on one line and exits 2."""


class UserError(Exception):
    """Bad input, config or option; the message names it and says what to do."""
