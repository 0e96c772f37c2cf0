"""The runner's per-snippet Keras backends ("# Keras backends: ..." line), and
what the processes that a multi-process snippet starts inherit from it."""

from __future__ import annotations

import textwrap

import pytest

from tools import generate, runner

DATA_PARALLEL_KERAS = runner.SNIPPETS / "examples" / "data_parallel_keras.py"
HEADER = "# %% [markdown]\n# # A title\n#\n# Keras backends: {}\n\n# %%\nimport keras\n"


def _snippet(tmp_path, header_value=None, name="demo_keras.py"):
    path = tmp_path / name
    path.write_text(HEADER.format(header_value) if header_value else "import keras\n")
    return path


def test_without_the_line_a_keras_snippet_runs_on_every_installed_backend(tmp_path):
    path = _snippet(tmp_path)
    assert runner.declared_keras_backends(path) is None
    assert runner.variants(path) == runner.keras_backends()
    assert runner.page_backend(path, "torch") == "torch"


def test_the_line_limits_the_backends_and_picks_the_page_backend(tmp_path):
    path = _snippet(tmp_path, "tensorflow")
    assert runner.declared_keras_backends(path) == ["tensorflow"]
    installed = runner.keras_backends()
    assert runner.variants(path) == (["tensorflow"] if "tensorflow" in installed else [])
    assert runner.page_backend(path, "torch") == "tensorflow"
    both = _snippet(tmp_path, "tensorflow, torch", name="both_keras.py")
    assert runner.variants(both) == installed
    assert runner.page_backend(both, "torch") == "torch"


def test_an_unknown_backend_name_is_refused(tmp_path):
    path = _snippet(tmp_path, "tensorflw")
    with pytest.raises(ValueError, match="demo_keras.py.*tensorflw"):
        runner.variants(path)


def test_non_keras_snippets_have_no_backend(tmp_path):
    path = tmp_path / "demo_torch.py"
    path.write_text("import torch\n")
    assert runner.variants(path) == [None]
    assert runner.page_backend(path, "torch") is None


def test_data_parallel_keras_is_tested_and_shown_on_tensorflow_only():
    assert runner.declared_keras_backends(DATA_PARALLEL_KERAS) == ["tensorflow"]
    assert "torch" not in runner.variants(DATA_PARALLEL_KERAS)
    assert runner.page_backend(DATA_PARALLEL_KERAS, generate.KERAS_BACKEND_FOR_PAGES) == "tensorflow"


def test_data_parallel_keras_on_another_backend_says_so_in_one_line(offline_dir, tmp_path):
    run = runner.run_snippet(DATA_PARALLEL_KERAS, offline_dir, tmp_path, backend="torch")
    assert run.returncode == 1, run.describe()
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs the TensorFlow backend" in lines[0], run.describe()
    assert "KERAS_BACKEND=tensorflow python data_parallel_keras.py" in lines[0]


@pytest.mark.slow
def test_processes_started_by_torchrun_inherit_the_offline_set_up(offline_dir, tmp_path):
    """data_parallel_torch.py relaunches itself with torch.distributed.run: its
    worker processes get the offline data, the fresh HOME, the hidden GPU and
    the blocked Python network of the snippet process, and gloo still works."""
    probe = tmp_path / "probe_torch.py"
    probe.write_text(
        textwrap.dedent(
            """
        import os, socket, subprocess, sys
        if "LOCAL_RANK" not in os.environ:
            command = [sys.executable, "-m", "torch.distributed.run",
                       "--standalone", "--nproc_per_node=2", __file__]
            raise SystemExit(subprocess.run(command).returncode)
        import torch
        import torch.distributed as dist
        dist.init_process_group("gloo")
        total = torch.tensor([dist.get_rank() + 1.0])
        dist.all_reduce(total)
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            blocked = False
        except OSError:
            blocked = True
        print(f"rank={dist.get_rank()} sum={total.item()} blocked={blocked} "
              f"data={os.environ.get('DLDOCS_OFFLINE_DATA')} home={os.environ['HOME']} "
              f"cuda={os.environ.get('CUDA_VISIBLE_DEVICES')!r}", flush=True)
        dist.destroy_process_group()
        """
        )
    )
    run = runner.run_snippet(probe, offline_dir, tmp_path, timeout=300)
    assert run.returncode == 0, run.describe()
    for rank in (0, 1):
        expected = f"rank={rank} sum=3.0 blocked=True data={offline_dir} home={tmp_path} cuda=''"
        assert expected in run.stdout, run.describe()
