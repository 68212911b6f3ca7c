"""The province's draft template stays reproducible from its build script."""
from __future__ import annotations

import zipfile

from drafting.province_template import PROVINCE_TEMPLATE_PATH, build_province


def test_committed_province_template_is_what_its_build_script_makes(tmp_path):
    fresh = build_province(tmp_path / "t.docx")
    with zipfile.ZipFile(PROVINCE_TEMPLATE_PATH) as a, zipfile.ZipFile(fresh) as b:
        for part in ("word/document.xml", "word/styles.xml", "word/settings.xml"):
            assert a.read(part) == b.read(part), part
