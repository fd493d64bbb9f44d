"""Errors a user can cause, each with a message that says what to do.

The command line turns a :class:`UserError` into a one-line message and exit code 2; anything else
is a bug and keeps its traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user: a file that is not a video, a broken track, no person found...

    ``str(error)`` is a single sentence that names the input and says what to do.
    """


class BadVideoError(UserError):
    """The file cannot be decoded as a video (missing, truncated, not a video)."""


class NoPersonError(UserError):
    """The pose model found no person in the video."""


class BadTrackError(UserError):
    """A pose-track file is unreadable or does not follow the documented format."""


class BadExerciseError(UserError):
    """An exercise file is missing, unreadable, or fails validation."""


class NoCameraError(UserError):
    """No camera answers at the index the user gave (``formcoach live --camera N``)."""
