"""The reporting service: what happens to a unit's report, whichever channel or command asks.

    periods.py    open (get-or-create) a unit's report for a period, safely under concurrent writers
    figures.py    record, correct and delete figures (validated, each change a revision, report locked)
    findings.py   run the checks on the stored report and keep the findings table in step
    lifecycle.py  the report's status: allowed transitions, submit / approve / return / reopen, audited

Chat flows (bot/flows) hold only the dialogue and call these functions; the CLI and the province roll-up use
them too. Functions take a SQLAlchemy session and work inside the caller's transaction.
"""
