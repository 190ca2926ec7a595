"""License and citation: CITATION.cff is valid Citation File Format, LICENSE keeps the upstream notice."""

import sys
import tomllib
from pathlib import Path

import yaml

from tests.notebook_tools import NOTEBOOKS, ROOT, check_jsonschema, read

CFF = ROOT / "CITATION.cff"
#: The CFF 1.2.0 JSON schema as shipped (vendored from citation-file-format) in check-jsonschema, pinned in the lock.
CFF_SCHEMA = "vendor.citation-file-format"
UPSTREAM_NOTICE = "Copyright (c) 2017-2022, Pytorch contributors"


def test_citation_file_is_valid_against_the_cff_schema():
    result = check_jsonschema(CFF_SCHEMA, CFF)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "validation done" in result.stdout


def test_the_schema_check_can_fail(tmp_path):
    broken = yaml.safe_load(CFF.read_text())
    broken["license"] = ["BSD-3"]  # not an SPDX identifier
    del broken["message"]  # required
    (tmp_path / "CITATION.cff").write_text(yaml.safe_dump(broken))
    result = check_jsonschema(CFF_SCHEMA, tmp_path / "CITATION.cff")
    assert result.returncode != 0
    assert "'message' is a required property" in result.stdout + result.stderr
    assert "BSD-3" in result.stdout + result.stderr


def test_citation_matches_the_project():
    cff = yaml.safe_load(CFF.read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert cff["version"] == project["version"], "CITATION.cff and pyproject.toml disagree on the version"
    assert cff["license"] == ["BSD-3-Clause", "CC-BY-4.0"], "the licenses LICENSE states"
    assert any(ref["title"] == "Learning PyTorch with Examples" for ref in cff["references"])


def test_license_states_both_licenses_and_keeps_the_upstream_notice():
    text = (ROOT / "LICENSE").read_text()
    assert "BSD 3-Clause License" in text and "CC BY 4.0" in text
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in text
    assert UPSTREAM_NOTICE in text and "github.com/pytorch/tutorials" in text
    # The three BSD conditions and the disclaimer, once for this repository and once for the upstream notice.
    for clause in ("Redistributions of source code must retain", "Redistributions in binary form", "Neither the name"):
        assert text.count(clause) == 2, clause
    assert text.count('PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"') == 2


def test_readme_says_how_to_cite_and_reuse():
    readme = (ROOT / "README.md").read_text()
    assert "## Cite and reuse" in readme
    section = readme.split("## Cite and reuse", 1)[1].split("\n## ", 1)[0]
    for needed in ("CITATION.cff", "LICENSE", "BSD-3-Clause", "CC BY 4.0", "Learning PyTorch with Examples"):
        assert needed in section, f"README's 'Cite and reuse' section does not mention {needed}"


def test_check_jsonschema_is_the_locked_one():
    assert Path(sys.executable).with_name("check-jsonschema").exists(), "check-jsonschema is missing: run `make setup`"
    locked = (ROOT / "requirements-lock.txt").read_text().splitlines()
    assert any(line.startswith("check-jsonschema==") for line in locked)


def test_every_notebook_carries_the_license_and_credit():
    """A notebook copied on its own (a student copy, a teacher's handout) still says where it comes from."""
    for path in NOTEBOOKS:
        last = read(path).cells[-1].source
        assert "BSD-3-Clause" in last and "CC BY 4.0" in last and "Learning PyTorch with Examples" in last, path.name
