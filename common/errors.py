"""One error tree for the project.

    BaoCaoError                 base of everything we raise on purpose
    └── OfficerError            carries a short Vietnamese message safe to show an officer
        ├── NotAuthorized       the officer may not see or change this
        ├── InvalidInput        malformed number, unknown indicator, bad file, expired button ...
        ├── NotFound            the unit, report or item named does not exist (for this officer)
        ├── Conflict            it exists already, or another account holds it
        ├── ReportLocked        the report's status does not allow changing its content
        ├── TransitionRefused   the report's status does not allow this step (submit, approve …)
        └── NotSupported        a feature that is not available in this build/configuration

The conversation engine answers an OfficerError with its message and undoes the handler's writes; the CLI
prints it and exits 2. Anything else is a bug: the engine rolls the update back and apologises.
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


class NotFound(OfficerError):
    pass


class Conflict(OfficerError):
    pass


class ReportLocked(OfficerError):
    """Figures and text of a submitted or approved report cannot change until it is returned or reopened."""

    APPROVED = ("Báo cáo này đã được duyệt nên không sửa được. Lãnh đạo có thể mở lại bằng /molai <lý do> "
                "nếu cần sửa.")
    SUBMITTED = ("Báo cáo đang chờ lãnh đạo duyệt nên chưa sửa được. Nếu cần sửa, đề nghị lãnh đạo trả lại "
                 "(/tralai).")

    def __init__(self, status: str):
        super().__init__(self.APPROVED if status == "approved" else self.SUBMITTED)
        self.status = status


class TransitionRefused(OfficerError):
    pass


class NotSupported(OfficerError):
    pass
