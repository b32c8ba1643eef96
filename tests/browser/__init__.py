"""The course in a real browser: JupyterLab (and Notebook 7) driven by Chromium."""
