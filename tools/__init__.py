"""The instructors' tools behind the make targets, run from the repository's root.

    python -m tools.refresh [LESSON ...]          # make refresh
    python -m tools.check_notebooks [LESSON ...]  # make check-notebooks
    python -m tools.readme [--check]              # make readme
    python -m tools.student [--out DIR]           # make student
    python -m tools.site [--out DIR]              # make site
    python -m tools.binder lock|check|...         # make lock, make binder-check

:mod:`tools.project` holds what they share: the repository's paths, its
``pyproject.toml`` and the one rule that turns ``LESSON=`` into notebooks.
"""
