"""The words the bot uses for fixed values (report statuses, roles, kinds of documents), from
knowledge/vocabulary.yaml."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from common.yamlfile import read_yaml

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")


class Vocabulary(BaseModel):
    report_status: dict[str, str]
    roles: dict[str, str]
    document_types: dict[str, str]
    document_type_codes: dict[str, str]
    count_nouns: list[str]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return Vocabulary.model_validate(read_yaml(VOCABULARY_PATH))


def status_name(status: str) -> str:
    return vocabulary().report_status.get(status, status)


def role_name(role: str) -> str:
    return vocabulary().roles.get(role, role)
