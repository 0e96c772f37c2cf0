# Loaded by Python at start-up in every snippet process that the tests (or the
# output generator) start, because this folder is on their PYTHONPATH. It does
# nothing unless DLDOCS_OFFLINE_DATA names a folder of offline data files.
import os

if os.environ.get("DLDOCS_OFFLINE_DATA"):
    import offline_boundary

    offline_boundary.install(os.environ["DLDOCS_OFFLINE_DATA"])
