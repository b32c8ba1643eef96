"""Fixtures of the browser suite: one JupyterLab server, one Chromium and one JupyterLab
page (lessons open in it as tabs) for the session.

The suite skips, with a plain message, when Chromium or playwright is
missing, unless GMMLAB_REQUIRE_BROWSER=1 (CI sets it), which makes that a
failure. Screenshots and the server's log go to test-artifacts/browser/.
"""

import shutil

import pytest

from . import lab

_skipped = []
_checked = []


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "browser: runs lessons in JupyterLab + Chromium (skipped without Chromium "
        f"unless {lab.REQUIRE_ENV}=1)",
    )


@pytest.fixture(scope="session")
def browser_ready():
    """Skip (or, with GMMLAB_REQUIRE_BROWSER=1, fail) when the browser suite cannot run."""
    reason = lab.browser_missing()
    if reason is None:
        return
    if lab.browser_required():
        pytest.fail(f"{lab.REQUIRE_ENV}=1 but {reason}", pytrace=False)
    _skipped.append(reason)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def lab_server(browser_ready, tmp_path_factory):
    """JupyterLab on 127.0.0.1 serving a temporary copy of notebooks/."""
    server = lab.LabServer(tmp_path_factory.mktemp("jupyterlab"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
        try:
            lab.ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(server.log_path, lab.ARTIFACTS / "jupyter-server.log")
        except OSError:
            pass


@pytest.fixture(scope="session")
def chromium(browser_ready):
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    try:
        browser = lab.launch_chromium(manager)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        manager.stop()


@pytest.fixture
def browser_context(chromium, lab_server):
    """A fresh browser context per test; the test's kernels are shut down after it."""
    context = chromium.new_context(viewport=lab.VIEWPORT)
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()
        try:
            lab_server.shutdown_kernels()
        except Exception:  # noqa: BLE001 - the next test starts its own kernel anyway
            pass


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.fixture(scope="session")
def lab_session(chromium, lab_server):
    """One JupyterLab page for the session: each lesson opens in it as a tab, in a fresh
    kernel (``lab.LabSession``); the kernels are shut down at the end."""
    context = chromium.new_context(viewport=lab.VIEWPORT)
    context.set_default_timeout(30_000)
    try:
        yield lab.LabSession(context.new_page(), lab_server)
    finally:
        context.close()
        try:
            lab_server.shutdown_kernels()
        except Exception:  # noqa: BLE001 - the server stops next
            pass


@pytest.fixture
def served(lab_server):
    """Copy a notebook from the repository into the served directory, fresh; return its path."""

    def copy(notebook, name=None):
        target = lab_server.root / (name or notebook.name)
        shutil.copyfile(notebook, target)
        return target

    return copy


@pytest.fixture
def record_lesson():
    """Remember a lesson's report, for the summary at the end of the run."""
    return _checked.append


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_sep(
            "=",
            f"browser tests SKIPPED: {_skipped[0]}; "
            f"set {lab.REQUIRE_ENV}=1 to make this a failure",
            yellow=True,
        )
    elif _checked:
        terminalreporter.write_sep("-", "browser: lessons checked in JupyterLab + Chromium")
        for report in _checked:
            terminalreporter.write_line(report.summary())
        terminalreporter.write_line(f"screenshots: {lab.ARTIFACTS}")
