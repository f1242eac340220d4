"""ETL: edition configs, reference geography, territory resolution, warehouse build."""

import os

ALLOCATOR = "background_thread:true,dirty_decay_ms:200,muzzy_decay_ms:0"
"""Polars allocates with jemalloc, configured by ``_RJEM_MALLOC_CONF`` when polars is
imported. Its defaults keep freed pages for a second or more, then only mark them free to
the kernel (``MADV_FREE``), still counted in the resident memory: a load, which frees
hundreds of megabytes of intermediate columns step after step, peaked 200 Mo higher than
it needed. Here jemalloc's own thread gives freed pages back within 0,2 s, for good
(measured: same load time). Set before polars is first imported: ``etl`` is imported
first by the command line and the app (``dashboard`` imports it at once); the notebooks
import polars first and keep its defaults. Appended, so that it wins over polars'
defaults a parent process may have left in the environment."""

_current = os.environ.get("_RJEM_MALLOC_CONF", "")
if ALLOCATOR not in _current:
    os.environ["_RJEM_MALLOC_CONF"] = f"{_current},{ALLOCATOR}" if _current else ALLOCATOR
