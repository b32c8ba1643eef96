"""How fast the explorers feel in a real browser, and how much a drag sends.

Opens each lesson in JupyterLab (a private server on 127.0.0.1, Debian's
Chromium through Playwright, as the browser tests do), runs all its cells,
then presses the arrow keys on every slider of every explorer, at least
``--moves`` times each, sweeping to one end and back. Each move is timed in
the page: from the ``keydown`` event on the slider's handle to the first
animation frame after the explorer's new figure (the ``src`` of its
``<img>`` changes, seen by a MutationObserver) has loaded. The next key is
pressed only once the kernel is idle again.

Then it drags the first slider of each explorer by 30% of its track (six
mouse steps), ``--drags`` times, and counts the bytes of every websocket
frame the page receives from the kernel until the explorer has settled on
its last figure, and how many figures it showed on the way.

Also prints the median server-side callback (update + render + PNG,
measured without a browser by ``benchmarks/bench_course.py``, whose probe is
reused here) so that the two can be compared: the difference is transport,
decoding and painting.

A report, not a test: it never fails because a run was slow.

    python -m benchmarks.bench_browser [--moves 12] [--drags 4] [--no-callbacks] [LESSON ...]

(``make bench-browser LESSON=04_iris_2d`` for one lesson, in any form ``make refresh`` takes.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

from benchmarks.bench_course import callback_times
from tests.browser import lab
from tools.project import resolve_notebooks

KEY_TO_FIGURE_TARGET_MS = 100.0
CALLBACK_TARGET_MS = 100.0
MOVE_TIMEOUT_MS = 30_000


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_slider(notebook_page, e, j, moves):
    """Press the arrow keys `moves` times on slider j of explorer e; the times in ms."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = notebook_page.page
    times = []
    key = notebook_page.direction(e, j)
    handle = notebook_page.handle(e, j)
    handle.scroll_into_view_if_needed()
    for _ in range(3 * moves):
        if len(times) == moves:
            break
        # sweep: go on until the end of the range, then turn round
        value = notebook_page.slider_value(e, j)
        count = page.evaluate("() => window.gmmlabLab.keys.samples.length")
        handle.press(key)
        if not notebook_page.wait_value_changed(e, j, value):  # at an end: the key did nothing
            page.evaluate("() => { window.gmmlabLab.keys.pressed = null; }")
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
            continue
        try:
            page.wait_for_function(
                "(n) => window.gmmlabLab.keys.samples.length > n",
                arg=count,
                timeout=MOVE_TIMEOUT_MS,
                polling="raf",
            )
        except PlaywrightTimeout:
            print(
                f"  {notebook_page.name}: explorer {e + 1}, slider {j + 1}: no new figure "
                f"within {MOVE_TIMEOUT_MS / 1000:.0f} s (make test says more)",
                file=sys.stderr,
            )
            break
        times.append(page.evaluate("() => window.gmmlabLab.keys.samples.at(-1).ms"))
        notebook_page.wait_kernel_idle(MOVE_TIMEOUT_MS)
    return times


def drag_traffic(notebook_page, e, drags):
    """Drag the first slider of explorer e `drags` times: [(bytes, figures), ...]."""
    found = []
    for _ in range(drags):
        move, received, figures = notebook_page.drag_traffic(e, 0)
        if move.redrawn:
            found.append((received, figures))
    return found


def browser_latencies(notebooks, moves, drags):
    """From one server and one browser, per lesson: the key-press rows and the drag rows.

    {lesson: ([(kind, slider, index, [ms, ...]), ...], [(kind, [(bytes, figures), ...]), ...])}
    """
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory() as tmp, lab.LabServer(tmp) as server:
        with sync_playwright() as playwright:
            browser = lab.launch_chromium(playwright)
            try:
                for notebook in notebooks:
                    expected = [w for w in lab.expected_widgets(notebook) if w.is_explorer]
                    if not expected:
                        continue
                    context = browser.new_context(viewport=lab.VIEWPORT)
                    try:
                        page = context.new_page()
                        lesson = lab.NotebookPage(page, server, notebook.name)
                        lesson.open()
                        lesson.run_all()
                        errors = lesson.errors()
                        if errors:
                            raise RuntimeError(
                                f"{notebook.name}: cell {errors[0]['cell']} raised "
                                f"{errors[0]['ename']}: {errors[0]['evalue']}"
                            )
                        lesson.rendered(expected)
                        page.evaluate("() => window.gmmlabLab.instrumentKeyPresses()")
                        rows, traffic = [], []
                        for e in range(lesson.explorer_count()):
                            kind = expected[e].kind if e < len(expected) else "?"
                            names = expected[e].sliders if e < len(expected) else ()
                            n_sliders = len(lesson.explorer_state(e)["sliders"])
                            for j in range(n_sliders):
                                name = names[j] if j < len(names) else f"slider {j + 1}"
                                rows.append((kind, name, j, time_slider(lesson, e, j, moves)))
                            traffic.append((kind, drag_traffic(lesson, e, drags)))
                        results[notebook.stem] = rows, traffic
                        print(f"  measured {notebook.stem} in the browser", file=sys.stderr)
                    finally:
                        context.close()
                        server.shutdown_kernels()
            finally:
                browser.close()
    return results


def server_callbacks(notebooks, moves):
    """{lesson: [(kind, control, [ms, ...]), ...]} from bench_course's probe."""
    found = {}
    for notebook in notebooks:
        if not any(w.is_explorer for w in lab.expected_widgets(notebook)):
            continue
        found[notebook.stem] = [
            (entry["kind"], entry["control"], [1000 * t for t in entry["times"]])
            for entry in callback_times(notebook, moves)
        ]
        print(f"  measured {notebook.stem}'s callbacks in a kernel", file=sys.stderr)
    return found


def matching_callback(entries, kind, name, j):
    """The callback times of slider `name` (number j) of an explorer of this kind.

    By name; failing that (a lesson whose stored outputs predate a renamed
    slider) by position among that kind's sliders.
    """
    same_kind = [entry for entry in entries if entry[0] == kind]
    for _, control, times in same_kind:
        if control == name:
            return times
    return same_kind[j][2] if j < len(same_kind) else []


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson names (default: all)")
    parser.add_argument("--moves", type=int, default=12, help="key presses per slider (>= 10)")
    parser.add_argument("--drags", type=int, default=4, help="drags per explorer (>= 1)")
    parser.add_argument(
        "--no-callbacks", action="store_true", help="skip the server-side callback timings"
    )
    args = parser.parse_args(argv)
    if args.moves < 10:
        parser.error("--moves must be at least 10")
    missing = lab.browser_missing()
    if missing:
        sys.exit(f"bench_browser: {missing}")
    notebooks = resolve_notebooks(args.lessons)

    print(
        f"{len(notebooks)} notebooks, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f}",
        file=sys.stderr,
    )
    start = time.perf_counter()
    latencies = browser_latencies(notebooks, args.moves, max(1, args.drags))
    callbacks = None if args.no_callbacks else server_callbacks(notebooks, args.moves)
    elapsed = time.perf_counter() - start

    print(
        f"\nslider key press -> new figure on screen, in JupyterLab + Chromium "
        f"(target: median < {KEY_TO_FIGURE_TARGET_MS:.0f} ms); "
        f"server-side callback (target: median < {CALLBACK_TARGET_MS:.0f} ms)"
    )
    header = (
        f"  {'lesson':22}{'explorer':24}{'slider':13}{'moves':>6}{'median':>8}{'p90':>7}"
        f"{'max':>7}{'callback':>10}"
    )
    print(header + "\n  " + "-" * (len(header) - 2))
    verdicts = []
    for lesson, (rows, _) in latencies.items():
        lesson_times, lesson_callbacks = [], []
        for kind, name, j, times in rows:
            if not times:
                continue
            lesson_times += times
            cb = matching_callback((callbacks or {}).get(lesson, []), kind, name, j)
            lesson_callbacks += cb
            cb_text = f"{statistics.median(cb):8.1f}" if cb else f"{'-':>8}"
            print(
                f"  {lesson:22}{kind:24}{name:13}{len(times):6d}{statistics.median(times):8.0f}"
                f"{percentile(times, 0.9):7.0f}{max(times):7.0f}{cb_text:>10}"
            )
        if not lesson_times:
            continue
        median = statistics.median(lesson_times)
        cb_median = statistics.median(lesson_callbacks) if lesson_callbacks else None
        ok = median < KEY_TO_FIGURE_TARGET_MS and (
            cb_median is None or cb_median < CALLBACK_TARGET_MS
        )
        verdicts.append((lesson, median, cb_median, ok))
    print("\nper lesson (all its sliders):")
    print(f"  {'lesson':22}{'key->figure median ms':>22}{'callback median ms':>20}   verdict")
    for lesson, median, cb_median, ok in verdicts:
        cb_text = f"{cb_median:.1f}" if cb_median is not None else "n/a"
        print(
            f"  {lesson:22}{median:22.0f}{cb_text:>20}   "
            + ("meets the targets" if ok else "MISSES a target")
        )
    print(
        "\nbytes the page receives per drag of an explorer's first slider (30% of its track, "
        "six mouse steps), until its last figure has arrived; and the figures it showed"
    )
    print(f"  {'lesson':22}{'explorer':24}{'drags':>6}{'kB/drag':>9}{'figures/drag':>14}")
    for lesson, (_, traffic) in latencies.items():
        for kind, drags in traffic:
            if not drags:
                print(f"  {lesson:22}{kind:24}{0:6d}{'-':>9}{'-':>14}")
                continue
            kilobytes = statistics.median(received for received, _ in drags) / 1e3
            figures = statistics.median(shown for _, shown in drags)
            print(f"  {lesson:22}{kind:24}{len(drags):6d}{kilobytes:9.0f}{figures:14.1f}")
    missed = [lesson for lesson, *_, ok in verdicts if not ok]
    print(
        f"{len(verdicts)} lessons with explorers; "
        + (f"missing a target: {', '.join(missed)}" if missed else "all meet the targets")
        + f"; {elapsed:.0f} s in all"
    )


if __name__ == "__main__":
    main()
