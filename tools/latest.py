"""Run the examples against the newest Keras, TensorFlow and PyTorch: `make test-latest`.

The Makefile sets up a separate environment, .venv-latest, from the same
dependency groups as .venv but WITHOUT constraints.txt, upgrading keras,
tensorflow-cpu and torch to the newest releases the package index offers.
This module (run with that environment's Python) then runs the snippet tests
and the framework-equivalence tests and writes a short report:

    test-artifacts/latest/report.md    versions, pinned vs newest, and each failure
    test-artifacts/latest/junit.xml    pytest's own record

It exits with pytest's status, so a scheduled job fails (and opens an issue,
see .github/workflows/latest.yml) when a new release breaks an example.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tools import runner

OUT = runner.REPO / "test-artifacts" / "latest"
WATCHED = ("keras", "tensorflow-cpu", "torch", "numpy", "matplotlib")
# What the newest releases must still pass: every snippet (each Keras snippet on
# both backends) and every test that holds a formula equal to the frameworks.
TESTS = ["tests/test_snippets.py", "tests/test_theory.py"]
TESTS += sorted(
    p.relative_to(runner.REPO).as_posix() for p in (runner.REPO / "tests").glob("test_theory_*.py")
)
TESTS += [p for p in ["tests/test_backend_claims.py"] if (runner.REPO / p).exists()]


def pinned() -> dict[str, str]:
    out = {}
    for line in (runner.REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line.strip()):
            out[m[1].lower()] = m[2]
    return out


def installed(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def failures(junit: Path) -> list[tuple[str, str]]:
    """(test id, first lines of the failure) for each failed or erroring test."""
    rows = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        for bad in list(case.findall("failure")) + list(case.findall("error")):
            text = (bad.get("message") or "") + "\n" + (bad.text or "")
            lines = [ln for ln in text.strip().splitlines() if ln.strip()][:12]
            rows.append((f"{case.get('classname')}::{case.get('name')}", "\n".join(lines)))
    return rows


def warnings_seen(junit: Path, log: str) -> list[str]:
    """Distinct warnings: those the snippets printed (recorded per test in the
    JUnit file) and those in pytest's own summary; deprecations first."""
    found = set(runner.warnings_in(log))
    if junit.exists():
        for prop in ET.parse(junit).getroot().iter("property"):
            if prop.get("name") == "snippet_warnings" and prop.get("value"):
                found.update(prop.get("value").splitlines())
    return sorted(found, key=lambda ln: ("Deprecat" not in ln, ln))[:40]


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    junit = OUT / "junit.xml"
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        *TESTS,
        "-p",
        "no:cacheprovider",
        "-W",
        "default::DeprecationWarning",
        "-o",
        "junit_family=xunit1",
        f"--junitxml={junit}",
        "-q",
        *argv,
    ]
    proc = subprocess.run(cmd, cwd=runner.REPO, capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    (OUT / "pytest.log").write_text(log, encoding="utf-8")
    pins = pinned()
    summary = next(
        (ln for ln in reversed(log.splitlines()) if re.search(r"\d+ (passed|failed)", ln)), "no summary"
    )
    lines = [
        "# Examples on the newest library releases",
        "",
        f"Result: **{'PASS' if proc.returncode == 0 else 'FAIL'}** ({summary.strip('= ')})",
        "",
        "| package | verified (constraints.txt) | newest installed here |",
        "| --- | --- | --- |",
    ]
    for name in WATCHED:
        lines.append(f"| {name} | {pins.get(name, '-')} | {installed(name)} |")
    bad = failures(junit) if junit.exists() else [("pytest", log[-3000:])]
    lines += ["", f"## Failures ({len(bad)})", ""]
    for test, text in bad:
        lines += [f"### `{test}`", "", "```text", text, "```", ""]
    if not bad:
        lines += ["None.", ""]
    seen = warnings_seen(junit, log)
    lines += ["## Warnings in the test log", ""] + ([f"- `{w}`" for w in seen] or ["None."]) + [""]
    lines += [f"The full log is `{(OUT / 'pytest.log').relative_to(runner.REPO)}`.", ""]
    (OUT / "report.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[: 4 + 2 + len(WATCHED)]))
    print(f"report: {(OUT / 'report.md').relative_to(runner.REPO)}")
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
