"""The scripts behind the `make` targets; run each as `python -m tools.<name>` from the root."""
