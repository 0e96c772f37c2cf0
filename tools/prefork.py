"""A Python process that has imported a framework once and forks one child per
snippet run (used by tools/runner.py).

Most of a short snippet's time goes into importing its framework: Keras on
the torch backend takes about 6 s to import here, Keras on TensorFlow about
5 s, torch alone about 2 s, and the tests run some 90 snippets. This server
imports what it is told (``python tools/prefork.py keras``, with the run's
environment: KERAS_BACKEND, thread counts, the offline data set-up of
tools/offline/startup), then, for each request, forks a child that is a
fresh run of the snippet in everything a snippet can see:

* its own process (and process group: a timeout kills it with whatever it
  started), with the request's environment, working directory and
  ``sys.argv``, the snippet's folder as ``sys.path[0]``, and its stdout and
  stderr written to the request's files;
* the snippet runs as ``__main__`` (``runpy.run_path``), from its first line:
  its ``import keras`` finds the module already imported, which is the only
  difference from ``python snippet.py``;
* unseeded generators (Python's, NumPy's global one, torch's) are seeded
  afresh, so a snippet that forgets its seed is no more repeatable here than
  in a new process;
* Keras reads its folder (``~/.keras``: downloads, keras.json) from HOME when
  it is imported; the child points it at the request's HOME, as a fresh
  import would;
* an uncaught exception prints its traceback (from the snippet's frames on)
  and exits with 1, as the interpreter does; ``SystemExit`` exits as usual.

multiprocessing's forkserver preloads modules too, but there is one per
process with one environment; the snippets need one per Keras backend.

Protocol, one JSON object per line: the server writes {"ready": true,
"stderr": ...} once its imports are done (what they printed to stderr); each
request {"path", "cwd", "env", "stdout", "stderr"} is answered with {"pid"}
when the child starts and {"status"} (os.waitstatus_to_exitcode) when it ends.
The server exits when its input closes.
"""

from __future__ import annotations

import json
import os
import sys


def _child(request: dict, control: tuple[int, int]) -> None:
    """Become the snippet run; never returns."""
    import runpy
    import traceback

    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (*control, 0):  # the control channel is the server's alone
        os.dup2(devnull, fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    for fd, name in ((1, request["stdout"]), (2, request["stderr"])):
        out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, fd)
        os.close(out)
    config = sys.modules.get("keras.src.backend.config")
    if config is not None and "KERAS_HOME" not in os.environ:
        home = os.path.expanduser("~")
        config._KERAS_DIR = os.path.join(home if os.access(home, os.W_OK) else "/tmp", ".keras")
        os.makedirs(config._KERAS_DIR, exist_ok=True)
    _reseed()
    path = request["path"]
    sys.argv = [path]
    sys.path[0] = os.path.dirname(path)
    code = 0
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit:
        raise
    except BaseException as err:
        tb = err.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != path:
            tb = tb.tb_next
        traceback.print_exception(type(err), err, tb or err.__traceback__)
        code = 1
    sys.exit(code)


def _reseed() -> None:
    """Unseeded random generators start from fresh entropy in every new
    process; a forked child would otherwise repeat the server's."""
    import random

    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    if "torch" in sys.modules:
        sys.modules["torch"].seed()


def main() -> None:
    # The control channel is the server's stdin and stdout; children must not
    # write to it, so it moves to other descriptors and stdout goes to stderr.
    control_in, control_out = os.dup(0), os.dup(1)
    os.dup2(2, 1)
    for module in sys.argv[1:]:
        __import__(module)
    sys.stdout.flush()
    sys.stderr.flush()
    log = os.environ.get("DLDOCS_PREFORK_LOG")
    printed = open(log, encoding="utf-8", errors="replace").read() if log else ""
    reader = os.fdopen(control_in, "r", encoding="utf-8")
    writer = os.fdopen(control_out, "w", encoding="utf-8")

    def reply(**fields) -> None:
        writer.write(json.dumps(fields) + "\n")
        writer.flush()

    reply(ready=True, stderr=printed)
    for line in reader:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request, (control_in, control_out))
        reply(pid=pid)
        _, status = os.waitpid(pid, 0)
        reply(status=os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
