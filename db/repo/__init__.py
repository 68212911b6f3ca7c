"""Repositories: small functions over a Session, one module per area. No business rules here
beyond keeping data consistent (revisions, de-duplication, locking approved reports)."""
