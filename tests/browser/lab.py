"""Drive the course in a real browser: a JupyterLab server, Chromium, and the lesson checks.

Shared by the browser tests (``tests/browser``) and ``benchmarks/bench_browser.py``.

- :func:`browser_missing` says why the browser suite cannot run here (or None);
- :class:`LabServer` starts ``jupyter lab`` on 127.0.0.1 with its own
  temporary config, data, runtime, settings and workspace directories,
  serving a temporary copy of ``notebooks/``;
- :func:`launch_chromium` starts Debian's Chromium through Playwright;
- :func:`expected_widgets` reads, from a notebook's stored outputs, which
  explorers (and which sliders) each cell displays: an explorer stores its
  description under ``gmmlab.widgets.EXPLORER_MIME``;
- :class:`NotebookPage` opens a notebook in JupyterLab or Notebook 7, runs
  all its cells through the Run menu, and checks and moves its explorers.

An explorer is a ``gmmlab.widgets.Explorer``: an ipywidgets VBox holding an
HBox of sliders, an Image (the figure) and an HTML readout. What runs inside
the page is in ``lab.js`` (installed in every page as ``window.gmmlabLab``).

``GMMLAB_LESSON`` (``make test-browser LESSON=...``) limits the lessons to
those it names, in any form ``make refresh`` accepts.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from gmmlab.widgets import EXPLORER_MIME
from tools.project import NOTEBOOKS, ROOT, resolve_notebooks

REPO = ROOT
ARTIFACTS = REPO / "test-artifacts" / "browser"
#: Limits the lessons to those it names (make test-browser LESSON=...).
LESSON_ENV = "GMMLAB_LESSON"

#: Set to 1 (CI does) to make a missing browser a failure instead of a skip.
REQUIRE_ENV = "GMMLAB_REQUIRE_BROWSER"
CHROMIUM = os.environ.get("GMMLAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1400, "height": 1400}

# Bounded waits (milliseconds). Generous: other kernels may share the two cores.
SERVER_START_S = 90
KERNEL_START_MS = 120_000
RUN_ALL_MS = 300_000
RENDER_MS = 60_000
REDRAW_MS = 30_000

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: Run silently in a lesson's kernel after a slider move (NotebookPage.quiesce): wait until
#: every explorer has finished the frames asked of it (``Explorer.wait``: a slider move
#: asks the explorer's background thread for a frame, and waits for it only up to
#: ``Explorer.frame_wait``). The explorers are found once per kernel and kept in ``sys``.
QUIESCE_CODE = """\
import sys
if not hasattr(sys, "_gmmlab_browser_explorers"):
    import gc
    from gmmlab.widgets import Explorer
    sys._gmmlab_browser_explorers = [o for o in gc.get_objects() if isinstance(o, Explorer)]
assert all(explorer.wait({timeout}) for explorer in sys._gmmlab_browser_explorers)
"""

# An explorer in the DOM: the VBox that holds the figure as a direct child.
EXPLORER_CSS = ".widget-vbox:has(> img.widget-image)"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# The page side of the driver, installed in every page it drives.
PAGE_SCRIPT = "({})({});".format(
    (Path(__file__).with_name("lab.js")).read_text(encoding="utf-8").strip().rstrip(";"),
    json.dumps({"explorer": EXPLORER_CSS}),
)


def browser_missing():
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is not installed: run make setup"
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        return "JupyterLab is not installed: run make setup"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM} (as root: apt-get install -y chromium)"
    return None


def browser_required():
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0")


def lesson_notebooks():
    """Every notebook of the course (or those ``GMMLAB_LESSON`` names), in file-name order."""
    return sorted(resolve_notebooks(os.environ.get(LESSON_ENV, "")))


# -- what a notebook defines ---------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ExpectedWidget:
    """A widget displayed by a cell, as its stored output describes it."""

    cell: int  # index among all the notebook's cells
    kind: str  # explorer class name, or "widget" for any other ipywidget
    sliders: tuple  # slider names, empty for a non-explorer widget
    labels: tuple = ()  # the sliders' labels, as the page shows them

    @property
    def is_explorer(self):
        return self.kind != "widget"


def expected_widgets(notebook):
    """The widgets a notebook displays, read from its stored outputs, in order.

    An explorer's output holds its description (``EXPLORER_MIME``: kind and
    sliders); ``make refresh`` drops its stored widget view. Any other widget
    keeps its widget view.
    """
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    found = []
    for index, cell in enumerate(cells):
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else ():
            data = output.get("data", {})
            if EXPLORER_MIME in data:
                sliders = data[EXPLORER_MIME]["sliders"]
                found.append(
                    ExpectedWidget(
                        index,
                        data[EXPLORER_MIME]["kind"],
                        tuple(slider["name"] for slider in sliders),
                        tuple(slider["label"] for slider in sliders),
                    )
                )
            elif WIDGET_MIME in data:
                found.append(ExpectedWidget(index, "widget", ()))
    return found


# -- the server ----------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """``jupyter lab`` on 127.0.0.1, isolated in ``workdir``, serving ``workdir/notebooks``.

    Use as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(self, workdir, source=NOTEBOOKS):
        self.workdir = Path(workdir)
        self.root = self.workdir / "notebooks"
        self.source = Path(source)
        self.token = secrets.token_hex(16)
        self.port = None
        self.process = None
        self.log_path = self.workdir / "jupyter-server.log"

    # directories and settings

    def _environment(self):
        env = dict(os.environ)
        for var, sub in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("IPYTHONDIR", "ipython"),
            ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
        ]:
            path = self.workdir / sub
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        env.pop("JUPYTER_TOKEN", None)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        env["MPLBACKEND"] = "Agg"
        # Kernels run in the served copy: make sure they import this checkout's gmmlab.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        settings = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True, exist_ok=True)
        # No "get notified about Jupyter news?" toast, no update check.
        (settings / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False})
        )
        return env

    def copy_notebooks(self):
        """(Re)copy the course's notebooks into the served directory."""
        shutil.copytree(
            self.source,
            self.root,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )

    def start(self):
        self.copy_notebooks()
        env = self._environment()
        last_error = None
        for _attempt in range(3):  # a free port can be taken between bind and listen
            self.port = _free_port()
            command = [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.root}",
                "--LabApp.expose_app_in_browser=True",
                "--JupyterNotebookApp.expose_app_in_browser=True",
                "--LanguageServerManager.autodetect=False",
            ]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                command.append("--allow-root")
            log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop())
            self.process = subprocess.Popen(
                command,
                cwd=self.root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            log.close()
            try:
                self._wait_ready()
                return self
            except RuntimeError as error:
                last_error = error
                self.stop()
        raise RuntimeError(f"JupyterLab did not start: {last_error}\n{self.log_tail()}")

    def _wait_ready(self):
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with code {self.process.returncode}")
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"no answer on port {self.port} after {SERVER_START_S} s")

    def stop(self):
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)  # the group of the server we started
        except ProcessLookupError:
            return
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, lines=40):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # REST

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path, **query):
        query = {"token": self.token, **query}
        parts = [f"{key}" if value is None else f"{key}={value}" for key, value in query.items()]
        return f"{self.base_url}{path}?{'&'.join(parts)}"

    def api(self, method, path, timeout=10):
        request = urllib.request.Request(
            self.base_url + path,
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        """End every session and kernel, so that lessons do not pile up kernels."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)


def launch_chromium(playwright):
    """Debian's Chromium, headless, with the flags this kind of machine needs."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


# -- a notebook in the browser -------------------------------------------------


def _call(function):
    """A function expression calling ``window.gmmlabLab.<function>`` with page.evaluate's arg."""
    return f"(arg) => window.gmmlabLab.{function}(arg)"


@dataclasses.dataclass
class Move:
    """One slider move and what it did to its explorer."""

    explorer: int
    slider: str
    how: str  # "ArrowRight", "ArrowLeft" or "drag"
    value_before: str
    value_after: str
    redrawn: bool  # a new figure arrived
    figure_changed: bool  # its PNG differs from the one before
    readout_changed: bool
    seconds: float
    digest_before: str = ""
    digest_after: str = ""
    text_before: str = ""
    text_after: str = ""
    handled: bool = True  # the kernel finished handling the move within the redraw timeout

    def describe(self):
        return (
            f"explorer {self.explorer + 1}, slider '{self.slider}', {self.how} "
            f"({self.value_before} -> {self.value_after})"
        )


def as_number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


class LabSession:
    """One JupyterLab page that opens notebook after notebook as tabs (``ui="tab"``).

    A page load of JupyterLab costs seconds of CPU; opening a notebook in a page that is
    already up is what a learner's double click in the file browser does
    (``docmanager:open``). Each :meth:`notebook` closes the tabs before it and shuts their
    kernels down first, so every notebook still runs in a fresh kernel of its own.
    """

    def __init__(self, page, server):
        self.page = page
        self.server = server
        #: (time, bytes) of every websocket frame the page received (the kernels' messages)
        self.received = []
        _install(page, self.received)
        page.goto(self.server.url("/lab", reset=None), wait_until="domcontentloaded")
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.shell", timeout=KERNEL_START_MS
        )
        page.evaluate("() => window.jupyterapp.restored.then(() => true)")

    def notebook(self, name, redraw_timeout=REDRAW_MS):
        """A :class:`NotebookPage` for ``name`` (not opened yet: call its ``open``)."""
        return NotebookPage(self.page, self.server, name, "tab", redraw_timeout, self)


def _install(page, received):
    """Install lab.js in the page (and the pages it loads) and record the frames it receives."""

    def listen(websocket):
        websocket.on("framereceived", lambda p: received.append((time.perf_counter(), len(p))))

    page.add_init_script(script=PAGE_SCRIPT)  # for the pages it opens from now on
    page.evaluate(PAGE_SCRIPT)  # and the one it shows now
    page.on("websocket", listen)


class NotebookPage:
    """One notebook opened in JupyterLab (``ui="lab"``: a page load; ``ui="tab"``: a tab of
    a :class:`LabSession`) or Notebook 7 (``ui="notebook"``)."""

    def __init__(self, page, server, name, ui="lab", redraw_timeout=REDRAW_MS, session=None):
        self.page = page
        self.server = server
        self.name = name
        self.ui = ui
        self.redraw_timeout = redraw_timeout
        if session is not None:
            #: (time, bytes) of every websocket frame the page received (the kernel's messages)
            self.received = session.received
        else:
            self.received = []
            _install(page, self.received)

    # opening and running

    def open(self):
        if self.ui == "tab":
            self.page.evaluate(_call("openTab"), self.name)
        elif self.ui == "lab":
            url = self.server.url(f"/lab/tree/{self.name}", reset=None)
            self.page.goto(url, wait_until="domcontentloaded")
        else:
            url = self.server.url(f"/notebooks/{self.name}")
            self.page.goto(url, wait_until="domcontentloaded")
        try:
            if self.ui == "tab":
                self.page.wait_for_function(
                    _call("tabReady"), arg=self.name, timeout=KERNEL_START_MS, polling=100
                )
            else:
                self.wait_kernel_idle(KERNEL_START_MS)
        except Exception as error:  # noqa: BLE001 - re-raised with what the page shows
            raise RuntimeError(
                f"{self.name}: no idle kernel after {KERNEL_START_MS / 1000:.0f} s"
                f"{self._dialog_text()}"
            ) from error
        return self

    def _dialog_text(self):
        """A dialog JupyterLab shows (e.g. "Select Kernel"), as text for an error message."""
        try:
            dialogs = self.page.locator(".jp-Dialog-content")
            if dialogs.count():
                return "; JupyterLab shows a dialog: " + " ".join(
                    dialogs.first.inner_text().split()
                )
        except Exception:  # noqa: BLE001
            pass
        return ""

    def wait_kernel_idle(self, timeout=KERNEL_START_MS):
        self.page.wait_for_function(
            "() => window.gmmlabLab.kernelStatus() === 'idle'", timeout=timeout, polling=100
        )

    def run_all(self, timeout=RUN_ALL_MS, limit=None):
        """Run all cells through the Run menu; wait until they have all run (or one failed).

        With ``limit``, run only the cells before index ``limit`` (JupyterLab's "Run All
        Above Selected Cell"), unless that is every cell.
        """
        if limit is None or limit >= self.page.evaluate(
            "() => window.jupyterapp.shell.currentWidget.content.model.cells.length"
        ):
            limit = None
            self.page.click(".lm-MenuBar-itemLabel:text-is('Run')")
            self.page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        else:
            self.page.evaluate(_call("runAbove"), limit)
        try:
            self.page.wait_for_function(
                _call("runFinished"), arg=limit, timeout=timeout, polling=200
            )
        except Exception as error:  # noqa: BLE001 - re-raised with the state of the run
            state = self.page.evaluate(_call("runState"), limit)
            raise RuntimeError(
                f"{self.name}: Run All Cells not finished after {timeout / 1000:.0f} s: "
                f"kernel {state['status']}, {state['ran']} of {state['code']} code cells run, "
                f"cells still busy (index): {state['busy']}{self._dialog_text()}"
            ) from error
        return self.page.evaluate(_call("runState"), limit)

    # what is on the page

    def errors(self):
        """Error outputs of the notebook's cells: dicts with cell, ename, evalue, traceback."""
        found = self.page.evaluate(_call("errors"))
        for error in found:
            error["traceback"] = ANSI.sub("", error["traceback"])
        return found

    def rendered(self, expected=None, timeout=RENDER_MS):
        """The widgets rendered in the cells' outputs (dicts, see ``rendered`` in lab.js).

        With ``expected`` (a list of ExpectedWidget), first wait until as many
        have rendered, with their figures loaded (bounded by ``timeout``).
        """
        if expected:
            n_explorers = sum(1 for w in expected if w.is_explorer)
            try:
                self.page.wait_for_function(
                    _call("rendersAtLeast"),
                    arg=[len(expected), n_explorers],
                    timeout=timeout,
                    polling=200,
                )
            except Exception:  # noqa: BLE001 - the caller compares the counts and says what is missing
                pass
        return self.page.evaluate(_call("rendered"))

    def explorer_count(self):
        return self.page.locator(EXPLORER_CSS).count()

    def explorer_state(self, e):
        return self.page.evaluate(_call("explorer"), e)

    def figure_digest(self, e):
        return self.page.evaluate(_call("digest"), e)

    def explorer(self, e):
        return self.page.locator(EXPLORER_CSS).nth(e)

    def handle(self, e, j):
        return self.explorer(e).locator(".widget-slider").nth(j).locator(".noUi-handle").first

    def log_messages(self):
        """What the kernel printed outside any cell (callback errors land there), or ''."""
        status = self.page.locator(".jp-LogConsoleStatusItem")
        if not status.count() or not status.first.is_visible() or not status.first.inner_text():
            return ""
        try:
            self.page.evaluate("() => window.jupyterapp.commands.execute('logconsole:open')")
            # one output area per notebook, its id the notebook's path
            console = self.page.locator(
                f'.jp-LogConsolePanel .jp-OutputArea[id="source:{self.name}"]'
            )
            console.wait_for(timeout=10_000)
            return ANSI.sub("", console.inner_text()).strip()
        except Exception as error:  # noqa: BLE001 - a diagnostic, not a check
            return f"(the log console has messages, but they could not be read: {error})"

    # moving sliders

    def slider_value(self, e, j):
        """Slider j of explorer e as the page shows it (readout and ARIA values)."""
        return self.explorer_state(e)["sliders"][j]["value"]

    def wait_value_changed(self, e, j, before, timeout=2_000):
        """Whether slider j of explorer e moves away from ``before`` within ``timeout`` ms."""
        try:
            self.page.wait_for_function(
                _call("valueChanged"), arg=[e, j, before], timeout=timeout, polling="raf"
            )
        except Exception:  # noqa: BLE001 - playwright's TimeoutError
            return False
        return True

    def quiesce(self):
        """Wait until the kernel has handled every message the page sent it (a slider's
        values) and every explorer has finished drawing the frames they asked for, and the
        page has received them (``quiesce`` in lab.js). True when it did within the redraw
        timeout."""
        code = QUIESCE_CODE.format(timeout=self.redraw_timeout / 1000)
        status = self.page.evaluate(_call("quiesce"), code)
        return status == "ok"

    def _await_redraw(self, e, before):
        """'new' when explorer e shows a new figure, loaded, once the move is over (the
        kernel has handled it and drawn its frame), 'same' when it still shows the old one
        then, None when the move was not over within the redraw timeout."""
        if not self.quiesce():
            return None
        if self.explorer_state(e)["src"] == before["src"]:
            return "same"
        try:  # the figure is in the page; its image decodes
            self.page.wait_for_function(
                _call("srcChanged"), arg=[e, before["src"]], timeout=self.redraw_timeout
            )
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: reported as "not redrawn"
            return None
        return "new"

    def wait_settled(self, e=None, timeout=None):
        """Wait until the kernel has handled everything the page sent it (after a drag: the
        last value too) and the explorers have sent their last frames."""
        self.page.evaluate(_call("track"))
        self.quiesce()

    def _move(self, e, j, how, act):
        self.page.evaluate(_call("track"))
        before = self.explorer_state(e)
        digest_before = self.figure_digest(e)
        start = time.perf_counter()
        act()
        # the handle moves at once, in the page; only then is a redraw due
        moved = self.wait_value_changed(e, j, before["sliders"][j]["value"])
        # after a drag too, the kernel has handled every value the page sent: the figure
        # shown is the last one drawn
        outcome = self._await_redraw(e, before) if moved else None
        redrawn = outcome == "new"
        seconds = time.perf_counter() - start
        after = self.explorer_state(e)
        digest_after = self.figure_digest(e) if redrawn else digest_before
        return Move(
            explorer=e,
            slider=before["sliders"][j]["label"],
            how=how,
            value_before=before["sliders"][j]["readout"],
            value_after=after["sliders"][j]["readout"],
            redrawn=redrawn,
            figure_changed=redrawn and digest_after != digest_before,
            readout_changed=after["text"] != before["text"],
            seconds=seconds,
            digest_before=digest_before,
            digest_after=digest_after,
            text_before=before["text"],
            text_after=after["text"],
            handled=outcome is not None,
        )

    def direction(self, e, j):
        """ArrowLeft when slider j of explorer e is at its maximum, else ArrowRight.

        (From the handle's ARIA values, which noUiSlider rounds to one decimal.)
        """
        slider = self.explorer_state(e)["sliders"][j]
        now, high = as_number(slider["now"]), as_number(slider["max"])
        return "ArrowLeft" if None not in (now, high) and now >= high else "ArrowRight"

    def press(self, e, j, key):
        handle = self.handle(e, j)
        return self._move(e, j, key, lambda: handle.press(key))

    def _settled_boxes(self, *locators, timeout=5.0):
        """The elements' bounding boxes once two reads 0.15 s apart agree.

        Notebook 7 renders the cells around the one scrolled to after the scroll
        (its windowed notebook), which moves the page for a moment: a drag aimed at
        the first box read would press the mouse where the handle no longer is.
        """
        boxes, deadline = None, time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            now = [locator.bounding_box() for locator in locators]
            if now == boxes:
                break
            boxes = now
            time.sleep(0.15)
            for locator in locators[:1]:
                locator.scroll_into_view_if_needed()
        return boxes

    def drag(self, e, j, fraction=0.3):
        """Drag the handle of slider j by ``fraction`` of the track, away from its nearer end."""
        handle = self.handle(e, j)
        track = self.explorer(e).locator(".widget-slider").nth(j).locator(".noUi-base").first
        handle.scroll_into_view_if_needed()
        box, base = self._settled_boxes(handle, track)
        x0, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        right = (x0 - base["x"]) < base["width"] / 2
        x1 = x0 + (1 if right else -1) * fraction * base["width"]

        def act():
            self.page.mouse.move(x0, y0)
            self.page.mouse.down()
            self.page.mouse.move(x1, y0, steps=6)
            self.page.mouse.up()

        return self._move(e, j, "drag", act)

    def drag_traffic(self, e, j, fraction=0.3):
        """Drag slider j of explorer e; (the Move, bytes the page received, figures shown).

        Counts every websocket frame from the kernel from the press of the mouse
        until the explorer has settled on its last figure, less what the driver's own
        waits (two :meth:`quiesce`, each measured on the idle kernel first) received.
        """
        self.page.evaluate(_call("track"))
        start = len(self.received)
        self.quiesce()
        own = sum(size for _, size in self.received[start:])
        self.page.evaluate(_call("countFigures"), e)
        start = len(self.received)
        move = self.drag(e, j, fraction)
        self.wait_settled(e)
        received = sum(size for _, size in self.received[start:]) - 2 * own
        return move, received, self.page.evaluate("(e) => window.gmmlabLab.figures[e]", e)

    def screenshot(self, path, e=None):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if e is None:
            self.page.screenshot(path=str(path))
        else:
            target = self.explorer(e)
            target.scroll_into_view_if_needed()
            target.screenshot(path=str(path))
        return path


def check_explorers(notebook_page, keyboard=True, drag="first"):
    """Move every slider of every explorer on the page; return (moves, problems).

    With ``keyboard``, each slider goes one step with the arrow keys (away
    from its nearer end) and back: the step must redraw the figure with a
    different picture and change the readout, and the step back must
    restore both exactly. Then the first slider of each explorer
    (``drag="first"``), or every slider (``drag="all"``), is dragged with
    the mouse, which must also redraw the figure and change the readout.
    """
    moves, problems = [], []
    for e in range(notebook_page.explorer_count()):
        sliders = notebook_page.explorer_state(e)["sliders"]
        for j in range(len(sliders)) if keyboard else ():
            moves += _there_and_back(notebook_page, e, j, problems)
        dragged = range(len(sliders)) if drag == "all" else range(min(1, len(sliders)))
        for j in dragged if drag else ():
            move = notebook_page.drag(e, j)
            moves.append(move)
            problems += _move_problems(move)
    return moves, problems


def _there_and_back(notebook_page, e, j, problems):
    key = notebook_page.direction(e, j)
    back = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
    there = notebook_page.press(e, j, key)
    problems += _move_problems(there)
    if not there.redrawn:
        return [there]  # no point coming back
    home = notebook_page.press(e, j, back)
    problems += _move_problems(home)
    if home.redrawn and home.value_after != there.value_before:
        problems.append(
            f"{home.describe()}: the step back did not return the slider to {there.value_before}"
        )
    elif home.redrawn and home.text_after != there.text_before:
        problems.append(
            f"{home.describe()}: the readout did not return to what it showed before:\n"
            f"    {there.text_before!r}\n    {home.text_after!r}"
        )
    elif home.redrawn and home.digest_after != there.digest_before:
        problems.append(f"{home.describe()}: the figure did not return to what it was")
    return [there, home]


def _move_problems(move):
    if move.value_after == move.value_before:
        return [f"{move.describe()}: the slider's value did not change"]
    if not move.redrawn and move.handled:
        return [
            f"{move.describe()}: no new figure (the kernel handled the move in "
            f"{move.seconds:.1f} s and the explorer kept its old figure)"
        ]
    if not move.redrawn:
        return [f"{move.describe()}: no new figure within {move.seconds:.0f} s"]
    problems = []
    if not move.figure_changed:
        problems.append(f"{move.describe()}: the new figure is identical to the old one")
    if not move.readout_changed:
        problems.append(f"{move.describe()}: the readout did not change ({move.text_after!r})")
    return problems


# -- a whole lesson ------------------------------------------------------------


def first_interactive(notebooks):
    """The first notebook whose stored outputs show at least one explorer, or None."""
    for notebook in notebooks:
        if any(w.is_explorer for w in expected_widgets(notebook)):
            return notebook
    return None


def count_problems(expected, rendered):
    """Compare the widgets a notebook defines with those rendered, cell by cell."""
    want = [(w.cell, w.is_explorer, len(w.sliders)) for w in expected]
    got = [(r["cell"], r["explorer"], r["sliders"]) for r in rendered]
    problems = []
    if want != got:
        problems.append(
            "the widgets rendered differ from those the notebook's stored outputs define:\n"
            f"    defined:  {_describe_widgets(want)}\n    rendered: {_describe_widgets(got)}\n"
            "    (if the lesson changed, re-execute it so that its stored outputs are current)"
        )
    explorers = [w for w in expected if w.is_explorer]
    for r, w in zip([r for r in rendered if r["explorer"]], explorers, strict=False):
        if tuple(r["labels"]) != w.labels:
            problems.append(
                f"cell {r['cell']}: the sliders are labelled {r['labels']}, the stored "
                f"description of the {w.kind} says {list(w.labels)}"
            )
    for r in rendered:
        if not r["explorer"]:
            continue
        where = f"cell {r['cell']}"
        if r["images"] != 1 or not r["loaded"]:
            problems.append(f"{where}: the explorer's figure is missing or did not load")
        elif r["pixelRatio"] is not None and r["pixelRatio"] < 1.99:
            problems.append(
                f"{where}: the figure has {r['pixelRatio']:.2f} pixels per displayed pixel, "
                "not 2: it looks blurred on a high-density screen"
            )
        if r["readouts"] != 1:
            problems.append(f"{where}: the explorer has {r['readouts']} readouts, expected 1")
        if r["handles"] != r["sliders"]:
            problems.append(f"{where}: {r['sliders']} sliders but {r['handles']} handles")
    return problems


def _describe_widgets(widgets):
    if not widgets:
        return "none"
    return "; ".join(
        f"cell {cell}: " + (f"explorer with {n} slider(s)" if explorer else "other widget")
        for cell, explorer, n in widgets
    )


@dataclasses.dataclass
class LessonReport:
    name: str
    expected: list
    rendered: list = dataclasses.field(default_factory=list)
    errors: list = dataclasses.field(default_factory=list)
    moves: list = dataclasses.field(default_factory=list)
    problems: list = dataclasses.field(default_factory=list)
    log: str = ""
    seconds: dict = dataclasses.field(default_factory=dict)

    def summary(self):
        n_explorers = sum(1 for r in self.rendered if r["explorer"])
        n_sliders = sum(r["sliders"] for r in self.rendered)
        return (
            f"{self.name}: {n_explorers} explorer(s), {n_sliders} slider(s), "
            f"{len(self.moves)} moves; "
            + ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())
        )

    def failure(self):
        """Everything that went wrong, as text (empty when the lesson is fine)."""
        parts = []
        for error in self.errors:
            parts.append(
                f"cell {error['cell']} raised {error['ename']}: {error['evalue']}\n"
                + error["traceback"][-3000:]
            )
        parts += self.problems
        if self.log:
            parts.append(
                "the kernel printed outside any cell (shown in JupyterLab's log console; "
                "a slider callback failed or warned):\n" + self.log[-3000:]
            )
        return "\n".join(f"- {part}" for part in parts)


def check_lesson(notebook_page, expected, keyboard=True, drag="first", run="all"):
    """Open, run, count and move: everything the browser suite checks for one lesson.

    ``run="all"`` runs every cell (Run All Cells); ``run="widgets"`` runs the cells up to
    the last one that displays a widget and no further (none when the notebook displays no
    widget): the browser is needed for the widgets, and the cells below them are run, and
    their outputs compared with the stored ones, once per test session already
    (tests/conftest.py's ``course_runs``); here their stored outputs show.
    """
    report = LessonReport(notebook_page.name, expected)
    start = time.perf_counter()
    notebook_page.open()
    report.seconds["open"] = time.perf_counter() - start
    start = time.perf_counter()
    if run == "all":
        notebook_page.run_all()
    elif run == "widgets":
        if expected:
            notebook_page.run_all(limit=max(w.cell for w in expected) + 1)
    else:
        raise ValueError(f"run must be 'all' or 'widgets', not {run!r}")
    report.seconds["run all" if run == "all" else "run to the widgets"] = (
        time.perf_counter() - start
    )
    report.errors = notebook_page.errors()
    start = time.perf_counter()
    report.rendered = notebook_page.rendered(expected)
    report.seconds["render"] = time.perf_counter() - start
    report.problems += count_problems(expected, report.rendered)
    start = time.perf_counter()
    report.moves, problems = check_explorers(notebook_page, keyboard=keyboard, drag=drag)
    report.seconds["sliders"] = time.perf_counter() - start
    report.problems += problems
    report.log = notebook_page.log_messages()
    return report


def save_screenshots(notebook_page, stem, directory=ARTIFACTS):
    """The page, and each explorer on its own; returns the paths (never raises)."""
    saved = []
    try:
        for e in range(notebook_page.explorer_count()):
            saved.append(
                notebook_page.screenshot(Path(directory) / f"{stem}-explorer{e + 1}.png", e)
            )
        saved.append(notebook_page.screenshot(Path(directory) / f"{stem}.png"))
    except Exception as error:  # noqa: BLE001 - a screenshot must not hide the real failure
        print(f"screenshot of {stem} failed: {error}", file=sys.stderr)
    return saved
