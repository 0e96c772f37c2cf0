"""The runner's per-snippet Keras backends ("# Keras backends: ..." line), and
what the processes that a multi-process snippet starts inherit from it."""

from __future__ import annotations

import subprocess
import textwrap

import pytest

from tools import runner

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
    assert runner.page_backend(DATA_PARALLEL_KERAS) == "tensorflow"


def test_data_parallel_keras_on_another_backend_says_so_in_one_line(offline_dir, tmp_path):
    # From scratch, as a reader runs it: the snippet stops before it imports
    # TensorFlow, whose import prints lines of its own on some CPUs (oneDNN),
    # which a prefork server that preloaded it would add to the run's stderr.
    run = runner.run_snippet(DATA_PARALLEL_KERAS, offline_dir, tmp_path, backend="torch", prefork=False)
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


PROBE = """
import os, sys
import torch
print(f"name={__name__} file={__file__} argv={sys.argv} path0={sys.path[0]} cwd={os.getcwd()}")
print(f"home={os.environ['HOME']} threads={torch.get_num_threads()}")
print(f"unseeded={torch.rand(1).item()}")
{tail}
"""


def _probe(tmp_path, tail="", name="probe_torch.py"):
    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(PROBE.replace("{tail}", textwrap.dedent(tail)))
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return path, home


def test_a_preforked_run_sees_what_a_fresh_process_sees(offline_dir, tmp_path):
    """tools/prefork.py: the same output, exit status and file locations as
    `python file.py`, from its own process."""
    path, home = _probe(tmp_path, "print('pid', os.getpid())")
    forked = runner.run_snippet(path, offline_dir, home, prefork=True)
    fresh = runner.run_snippet(path, offline_dir, home, prefork=False)
    assert forked.returncode == fresh.returncode == 0, forked.describe() + fresh.describe()
    first = lambda out: out.splitlines()[:2]  # noqa: E731
    assert first(forked.stdout) == first(fresh.stdout), (forked.stdout, fresh.stdout)
    assert f"path0={path.parent} cwd={home}" in forked.stdout and f"home={home}" in forked.stdout
    again = runner.run_snippet(path, offline_dir, home, prefork=True)
    pids = {r.stdout.split("pid ")[1].strip() for r in (forked, again)}
    assert len(pids) == 2, "two runs shared a process"
    unseeded = {r.stdout.split("unseeded=")[1].split()[0] for r in (forked, again)}
    assert len(unseeded) == 2, "two runs drew the same unseeded random numbers"


def test_a_preforked_failure_reads_as_the_interpreter_prints_it(offline_dir, tmp_path):
    path, home = _probe(tmp_path, "raise ValueError('no such file: data.npz')")
    run = runner.run_snippet(path, offline_dir, home, prefork=True)
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == "Traceback (most recent call last):", run.stderr
    assert (
        f'File "{path}", line' in run.stderr
        and "prefork.py" not in run.stderr
        and "runpy.py" not in run.stderr
    )
    assert run.stderr.rstrip().endswith("ValueError: no such file: data.npz")
    path, home = _probe(tmp_path, "raise SystemExit('Could not load MNIST: see the page')")
    run = runner.run_snippet(path, offline_dir, home, prefork=True)
    assert (run.returncode, run.stderr.strip()) == (1, "Could not load MNIST: see the page")


def test_a_preforked_run_that_hangs_is_killed_and_the_server_goes_on(offline_dir, tmp_path):
    path, home = _probe(
        tmp_path, "import subprocess, time\nsubprocess.Popen(['sleep', '600'])\ntime.sleep(600)"
    )
    with pytest.raises(subprocess.TimeoutExpired) as caught:
        runner.run_snippet(path, offline_dir, home, prefork=True, timeout=3)
    assert "name=__main__" in caught.value.output
    # The snippet's own child (sleep) was killed with it: nothing is left of the group.
    gone = subprocess.run(["pgrep", "-f", "sleep 600"], capture_output=True, text=True)
    assert not gone.stdout.strip(), f"left running: {gone.stdout}"
    path, home = _probe(tmp_path, "", name="after_torch.py")
    assert runner.run_snippet(path, offline_dir, home, prefork=True, timeout=60).returncode == 0


def test_keras_finds_its_folder_in_each_runs_home(offline_dir, tmp_path):
    """Keras reads ~/.keras (downloads, keras.json) when it is imported: a run
    forked from a server that imported it in another HOME still gets its own."""
    script = tmp_path / "home_keras.py"
    script.write_text("from keras.src.backend import config\nprint('keras_home=' + config.keras_home())\n")
    for name in ("first", "second"):
        home = tmp_path / name
        home.mkdir()
        run = runner.run_snippet(script, offline_dir, home, backend="torch", prefork=True)
        assert run.returncode == 0, run.describe()
        assert f"keras_home={home / '.keras'}" in run.stdout, run.stdout
        assert (home / ".keras").is_dir()
