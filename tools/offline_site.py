"""The whole site, both languages, as a zip to read from disk: unzipped, its
dl-course-offline/index.html opens in a browser from file://, with no server
and no request to any other host; navigation, formulas, search (Chinese and
English) and the language switcher work.

    python -m tools.offline_site                 site/downloads/dl-course-offline.zip
    python -m tools.offline_site --out FILE.zip

Builds mkdocs.offline.yml (mkdocs.yml with directory URLs off and Material's
offline plugin, see tools/mkdocs_hooks.py) with --strict into a temporary
folder, then zips it. `make offline`; the Pages workflow runs it after
`make build`, so the site serves the archive at downloads/dl-course-offline.zip.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "mkdocs.offline.yml"
NAME = "dl-course-offline"
# Where the site serves the archive (the home pages link it).
SITE_PATH = f"downloads/{NAME}.zip"
DEFAULT_OUT = REPO / "site" / SITE_PATH

# What a reader's browser needs: without these the copy is broken.
REQUIRED = [
    "index.html",
    "en/index.html",
    "search/search_index.js",
    "assets/vendor/iframe-worker/shim.js",
]
# Built, but of no use from disk, so left out of the archive: the 404 page
# (absolute links, for a server), the sitemap (for search engines) and the
# search index as JSON (fetched from a server; from disk the theme reads
# search/search_index.js, the same index).
LEFT_OUT = ("404.html", "sitemap.xml", "sitemap.xml.gz")
LEFT_OUT_GLOB = "search/*.json"


class OfflineSiteError(RuntimeError):
    pass


def build_site(dest: Path) -> Path:
    """`mkdocs build --strict` of mkdocs.offline.yml into ``dest``."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(CONFIG), "-d", str(dest)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO)
    if proc.returncode != 0:
        raise OfflineSiteError(
            f"mkdocs build --strict -f {CONFIG.name} failed (exit {proc.returncode}):\n{proc.stderr[-6000:]}"
        )
    missing = [p for p in REQUIRED if not (dest / p).is_file()]
    if missing:
        raise OfflineSiteError(f"the build of {CONFIG.name} in {dest} lacks {', '.join(missing)}")
    return dest


def archive_files(site: Path) -> list[Path]:
    """The files of the built site that go into the archive, sorted."""
    skipped = {site / p for p in LEFT_OUT} | set(site.glob(LEFT_OUT_GLOB))
    return sorted(p for p in site.rglob("*") if p.is_file() and p not in skipped)


def write_zip(site: Path, out: Path) -> int:
    """Zip ``site`` under a top folder dl-course-offline/ into ``out``
    (written beside it first, then moved, so a reader never gets half a
    file); returns the number of files."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    files = archive_files(site)
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for file in files:
            zf.write(file, f"{NAME}/{file.relative_to(site).as_posix()}")
    partial.replace(out)
    return len(files)


def build(out: Path = DEFAULT_OUT) -> tuple[Path, int]:
    """Build the offline site into a temporary folder and zip it to ``out``;
    returns (out, number of files)."""
    with tempfile.TemporaryDirectory(prefix="offline-site-") as tmp:
        site = build_site(Path(tmp) / NAME)
        count = write_zip(site, out)
    return out, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.offline_site", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"the zip to write (default: {DEFAULT_OUT.relative_to(REPO)})",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        out, count = build(args.out.resolve())
    except OfflineSiteError as err:
        print(f"ERROR: {err}", file=sys.stderr)
        return 1
    size = out.stat().st_size
    print(f"{out}: {count} files, {size / 1e6:.1f} MB, in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
