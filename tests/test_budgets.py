"""The build-time budget of BENCHMARKS.md (the page-weight budget is checked
in tests/test_browser.py, where the pages are loaded).

Build time is held as a ratio to a trivial one-page MkDocs build with the same
theme, timed in the same test on the same machine, so that the budget means
the same on a slow CI machine and a fast laptop."""

from __future__ import annotations

import pytest

from tools import bench

pytestmark = [pytest.mark.build, pytest.mark.slow]


def test_site_build_time_is_within_budget(built_site, tmp_path):
    # The whole site's build is the suite's own shared build (conftest.py),
    # timed while it ran; the trivial one is built here, after it, with imports
    # and the disk cache warm.
    from conftest import build_seconds

    trivial = bench.build(bench.trivial_site(tmp_path / "trivial"), tmp_path / "trivial-0")
    site = build_seconds(built_site)
    ratio = site / trivial
    assert ratio <= bench.BUILD_RATIO_BUDGET, (
        f"the strict build took {site:.1f} s, {ratio:.1f} times a trivial one-page build "
        f"({trivial:.2f} s); the budget is {bench.BUILD_RATIO_BUDGET} (see BENCHMARKS.md)"
    )
    # The yardstick is a real build: the trivial site was built.
    assert (tmp_path / "trivial-0" / "index.html").is_file()
