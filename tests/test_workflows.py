"""The GitHub workflows run with the least permissions they need and pin every
third-party action by commit SHA (a moved tag cannot change what runs)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tools import runner

WORKFLOWS = sorted((runner.REPO / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def problems(path: Path) -> list[str]:
    flow = yaml.safe_load(path.read_text(encoding="utf-8"))
    name = path.relative_to(runner.REPO).as_posix() if path.is_relative_to(runner.REPO) else str(path)
    out = []
    if flow.get("permissions") not in ({}, None) or "permissions" not in flow:
        out.append(f"{name}: set `permissions: {{}}` at the top; each job asks for its own")
    for job_id, job in (flow.get("jobs") or {}).items():
        if "permissions" not in job:
            out.append(f"{name}: job `{job_id}` has no `permissions:`")
        for step in job.get("steps") or []:
            uses = step.get("uses")
            if uses and not uses.startswith("./") and not PINNED.match(uses):
                out.append(f"{name}: job `{job_id}` uses `{uses}`: pin it to a commit SHA")
    return out


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"docs.yml", "tests.yml", "latest.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_least_permissions_and_pinned_actions(path):
    assert not problems(path), "\n".join(problems(path))


def test_the_check_refuses_broad_permissions_and_moving_tags(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\npermissions: write-all\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n",
        encoding="utf-8",
    )
    found = problems(bad)
    assert any("permissions: {}" in p for p in found), found
    assert any("job `build` has no `permissions:`" in p for p in found), found
    assert any("actions/checkout@v4" in p and "commit SHA" in p for p in found), found
