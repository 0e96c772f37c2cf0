"""Executed notebooks of the examples: `python -m tools.notebooks [snippet ...]`
(`make outputs` runs it after tools.generate).

Every example snippet (snippets/examples/*.py, written in jupytext's percent
format) becomes a notebook, docs/notebooks/<stem>.ipynb, committed with the
outputs of a real run under each cell: the printed shapes, the per-epoch log,
the figures. That file is what the site serves for download
(notebooks/<stem>.ipynb), what it renders as a page (notebooks/<stem>/, both
languages, with mkdocs-jupyter: see tools/mkdocs_hooks.py) and what "Open in
Colab" opens from the repository.

One conversion: snippet_notebook() turns a snippet into a notebook, for this
tool and for the build (which serves an unexecuted notebook for a snippet that
has none committed yet). Its ``# %%`` cells become notebook cells; a cell's
title (``# %% Data: ...``) stays visible as the cell's first comment line; the
page-section markers (``# --8<-- [start:x]``) are dropped.

Execution runs the notebook in a Jupyter kernel (ipykernel, driven by nbclient)
under the same conditions as the tests and tools.generate: the environment of
tools.runner.snippet_env() (datasets served offline through the examples' own
loaders, every socket of the snippet's Python code refused, CUDA hidden, Keras
on the PyTorch backend unless the snippet declares other backends), a fresh
temporary folder as HOME and working directory. The one difference is
MPLBACKEND: matplotlib's inline backend, so that a figure a cell draws appears
under it (the snippet calls no matplotlib.use for this).

Written so that a rerun is a small diff: cell ids are numbered, no execution
timestamps are kept, the kernel's Python version is dropped from the
metadata. The notebook's metadata records, under "dldocs", the snippet and its
sha256 (tests/test_notebooks.py fails when the snippet changed since), and
whether the notebook was executed.

Not executed: a snippet that cannot run in a notebook kernel. One exists:
snippets/examples/data_parallel_torch.py trains with DistributedDataParallel
in two processes; it relaunches itself with torchrun, which needs the program
as a file, and a kernel is one process with no file to relaunch (the snippet
stops there with a message saying how to run it). Running it in the kernel
would only show that message, and faking a multi-process run inside the
kernel would show something other than what the reader runs. So its notebook
is committed without outputs, marked ``"executed": false`` with the reason,
which its rendered page states in the page's language, pointing to the example
page for the output of a real torchrun run. It is still rendered, downloadable
and opens in Colab, where its first cell says how to run it.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
import time
from pathlib import Path

from tools import runner

NOTEBOOKS = runner.DOCS / "notebooks"
CHAPTERS = ("examples",)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
CELL_TIMEOUT = 600  # seconds for one cell

SECTION_MARKER = re.compile(r"^\s*# --8<-- \[(start|end):[\w-]+\]\s*$")
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

# Snippets whose notebook is not executed (see the module docstring), with the
# reason in each language of the site.
NOT_EXECUTED = {
    "data_parallel_torch": {
        "zh": "这个程序用 torchrun 启动两个进程做数据并行训练，而 notebook 的内核只是一个进程，"
        "也没有可供 torchrun 重新启动的程序文件，所以这个 notebook 没有执行，单元格下方没有输出。"
        "请把它保存为 data_parallel_torch.py，用 "
        "torchrun --standalone --nproc_per_node=2 data_parallel_torch.py 运行。",
        "en": "This program trains in two processes started by torchrun, and a notebook kernel is a "
        "single process with no program file for torchrun to relaunch, so this notebook was not "
        "executed and its cells have no output. Save it as data_parallel_torch.py and run "
        "torchrun --standalone --nproc_per_node=2 data_parallel_torch.py.",
    },
}


def example_snippets() -> list[Path]:
    return sorted(p for chapter in CHAPTERS for p in (runner.SNIPPETS / chapter).glob("*.py"))


def notebook_path(snippet: Path) -> Path:
    return NOTEBOOKS / f"{Path(snippet).stem}.ipynb"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def snippet_notebook(path: Path):
    """The snippet as an (unexecuted) nbformat notebook; see the module docstring."""
    import jupytext

    text = "\n".join(
        line for line in Path(path).read_text(encoding="utf-8").splitlines() if not SECTION_MARKER.match(line)
    )
    nb = jupytext.reads(text, fmt="py:percent")
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    for index, cell in enumerate(nb.cells):
        title = cell.metadata.pop("title", None)
        if title and cell.cell_type == "code":
            cell.source = f"# {title}\n{cell.source}"
        cell.id = f"cell-{index}"
    return nb


def notebook_json(path: Path) -> str:
    """snippet_notebook() as .ipynb text (what the build serves when no
    executed notebook is committed)."""
    import nbformat

    return nbformat.writes(snippet_notebook(path)) + "\n"


def _dldocs_metadata(snippet: Path, executed: bool, backend: str | None) -> dict:
    meta = {
        "generated_by": "python -m tools.notebooks",
        "snippet": runner.rel(snippet),
        "snippet_sha256": sha256(snippet),
        "executed": executed,
    }
    if executed:
        meta["device"] = "cpu"
        if backend:
            meta["keras_backend"] = backend
    else:
        meta["not_executed_because"] = NOT_EXECUTED[Path(snippet).stem]
    return meta


def execute(snippet: Path, offline_dir: Path):
    """The snippet's notebook, run in a fresh kernel as the tests run the
    snippet (see the module docstring); raises SystemExit naming the cell
    that failed."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from traitlets.config import Config

    nb = snippet_notebook(snippet)
    stem = Path(snippet).stem
    if stem in NOT_EXECUTED:
        nb.metadata["dldocs"] = _dldocs_metadata(snippet, False, None)
        return nb
    backend = runner.page_backend(snippet)  # the backend the example page shows
    with tempfile.TemporaryDirectory(prefix=f"notebook-{stem}-") as home:
        env = runner.snippet_env(offline_dir, Path(home), backend, "cpu")
        env["MPLBACKEND"] = INLINE_BACKEND
        # The kernel talks to this process over Unix sockets in its folder
        # (ZeroMQ's ipc transport), not over TCP. nbclient starts the kernel
        # and shuts it down after the last cell.
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(home, "kernel"))
        client = NotebookClient(
            nb,
            config=config,
            kernel_name="python3",
            timeout=CELL_TIMEOUT,
            record_timing=False,
            allow_errors=False,
            resources={"metadata": {"path": home}},
        )
        try:
            client.execute(env=env, cwd=home)
        except CellExecutionError as err:
            raise SystemExit(f"{runner.rel(snippet)}: a cell failed in the notebook kernel:\n{err}") from err
    strip_volatile(nb)
    nb.metadata["dldocs"] = _dldocs_metadata(snippet, True, backend)
    return nb


# The value of a cell whose last line is a call such as model.fit(...): a
# default repr, "<keras.src.callbacks.history.History at 0x7f...>", which says
# nothing and changes with every run.
OBJECT_REPR = re.compile(r"^<[\w.]+(?: object)? at 0x[0-9a-f]+>$")


def strip_volatile(nb) -> None:
    """Drop what changes from run to run without the outputs changing (and
    default object reprs, see OBJECT_REPR), and join consecutive prints to
    one stream into one output, as Jupyter does (the kernel sends each
    flushed line on its own)."""
    info = nb.metadata.get("language_info")
    if info:
        info.pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        outputs = []
        for output in cell.get("outputs", []):
            if output.output_type == "execute_result" and set(output.data) == {"text/plain"}:
                if OBJECT_REPR.match(output.data["text/plain"].strip()):
                    continue
            last = outputs[-1] if outputs else None
            if (
                output.output_type == "stream"
                and last is not None
                and last.output_type == "stream"
                and last.name == output.name
            ):
                last.text += output.text
            else:
                outputs.append(output)
        if "outputs" in cell:
            cell.outputs = outputs


def write(nb, path: Path) -> None:
    import nbformat

    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def is_stale(snippet: Path) -> bool:
    """No notebook committed, or one made from an earlier version of the snippet."""
    import json

    path = notebook_path(snippet)
    if not path.exists():
        return True
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("dldocs", {})
    return meta.get("snippet_sha256") != sha256(snippet)


def main(argv=None) -> None:
    from tools.offline import datasets

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snippets", nargs="*", help="example snippet paths (default: all examples)")
    parser.add_argument(
        "--stale",
        action="store_true",
        help="only snippets whose notebook is missing or older than the snippet",
    )
    args = parser.parse_args(argv)
    targets = [Path(s).resolve() for s in args.snippets] or example_snippets()
    for target in targets:
        if target.parent.name not in CHAPTERS or target.suffix != ".py":
            parser.error(f"{target}: not an example snippet (snippets/examples/*.py)")
    if args.stale:
        targets = [s for s in targets if is_stale(s)]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        offline_dir = datasets.prepare(Path(tmp))
        for snippet in targets:
            t0 = time.perf_counter()
            nb = execute(snippet, offline_dir)
            path = notebook_path(snippet)
            write(nb, path)
            state = "executed" if nb.metadata["dldocs"]["executed"] else "not executed (see NOT_EXECUTED)"
            print(f"{runner.rel(path)}: {state} in {time.perf_counter() - t0:.1f}s", flush=True)
    print(f"{len(targets)} notebooks in {time.perf_counter() - start:.0f}s")


if __name__ == "__main__":
    sys.exit(main())
