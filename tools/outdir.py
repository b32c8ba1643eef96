"""Output folders that a tool owns: replaced as a whole, never one the tool did not write."""

from __future__ import annotations

import shutil
from pathlib import Path


def replace_output_dir(out, marker, tool):
    """Empty ``out`` (creating it) and mark it as written by ``tool``.

    Parameters
    ----------
    out : str or Path
        The folder; replaced only if it is empty or holds the file ``marker``.
    marker : str
        The name of the file that says ``tool`` wrote the folder, e.g. ``.gmmlab-site``.
    tool : str
        How to name the tool in the marker and in the message, e.g. ``tools/site.py``.

    Raises
    ------
    SystemExit
        If ``out`` holds files and no ``marker``: it was not written by ``tool``.
    """
    out = Path(out)
    if out.exists():
        if any(out.iterdir()) and not (out / marker).exists():
            raise SystemExit(
                f"{out} exists and was not written by {tool} (no {marker} file): "
                "refusing to replace it; choose another --out or remove it yourself"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / marker).write_text(f"Written by {tool}; replaced on every run.\n")
