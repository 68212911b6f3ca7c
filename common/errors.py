"""One error tree for the project.

    BaoCaoError                 base of everything we raise on purpose
    └── OfficerError            carries a short Vietnamese message safe to show an officer
        ├── NotAuthorized       the officer may not see or change this
        ├── InvalidInput        malformed number, unknown indicator, bad file ...
        └── NotSupported        a feature that is not available in this build/configuration
"""
from __future__ import annotations


class BaoCaoError(Exception):
    """Base error of the project."""


class OfficerError(BaoCaoError):
    """An error whose message is Vietnamese text meant for the officer."""

    def __init__(self, message_vi: str):
        super().__init__(message_vi)
        self.message_vi = message_vi


class NotAuthorized(OfficerError):
    pass


class InvalidInput(OfficerError):
    pass


class NotSupported(OfficerError):
    pass
