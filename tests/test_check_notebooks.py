"""tools.check_notebooks: each rule, broken on purpose in a copy of a lesson, is named.

Every test copies a real lesson into a temporary notebooks/ folder with a README
whose lesson list is current, checks that the copy passes, breaks one rule, and
asserts that the check fails naming the notebook, the cell (where the problem
lies in one cell) and the rule.
"""

import re
import shutil

import nbformat
import pytest

from gmmlab.course import course_map, lessons, read_lesson
from tests.check_support import run_tool
from tools import check_notebooks
from tools.project import NOTEBOOKS, ROOT, TEMPLATE, resolve_notebooks
from tools.readme import END, START, lesson_list


def _model_lesson():
    """The finished model lesson, or else the first lesson there is."""
    model = NOTEBOOKS / "03_iris_1d.ipynb"
    return model if model.exists() else lessons(NOTEBOOKS)[0].path


def _write_readme(folder, notebooks_dir):
    readme = folder / "README.md"
    readme.write_text(f"# course\n\n{lesson_list(notebooks_dir)}\n", encoding="utf-8")
    return readme


def _copy_course(tmp_path):
    """A copy of every notebook of notebooks/ in tmp/notebooks/, and a README listing them."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for path in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(path, notebooks / path.name)
    return notebooks, _write_readme(tmp_path, notebooks)


@pytest.fixture
def course(tmp_path):
    """A copy of the course in tmp/notebooks/ (a README lists it); the model lesson in it."""
    notebooks, readme = _copy_course(tmp_path)
    return notebooks / _model_lesson().name, readme


def _with_exercise():
    """The first lesson that has an exercise (found by its tags)."""
    return next(
        lesson.path
        for lesson in lessons(NOTEBOOKS)
        if check_notebooks.exercises(nbformat.read(lesson.path, as_version=4))
    )


@pytest.fixture
def exercise_course(tmp_path):
    """A copy of the course; the first lesson with an exercise in it."""
    notebooks, readme = _copy_course(tmp_path)
    return notebooks / _with_exercise().name, readme


def run(capsys, path, readme):
    """Run the command as `make check-notebooks` does; (exit status, what it printed)."""
    status = check_notebooks.main([str(path), "--readme", str(readme)])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def edit(path, change):
    notebook = nbformat.read(path, as_version=4)
    change(notebook)
    nbformat.write(notebook, path)


def code_cells(notebook):
    """Positions (0-based) of the code cells that nbclient runs."""
    return [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and c.source.strip()]


def _set_source(position, change):
    def edit_cell(notebook):
        cell = notebook.cells[position]
        cell.source = change(cell.source)

    return edit_cell


def _add_output(position, output):
    def add(notebook):
        notebook.cells[position].outputs.append(output)

    return add


def markdown_cells(notebook):
    return [i for i, c in enumerate(notebook.cells) if c.cell_type == "markdown"]


def assert_named(output, path, rule, cell=None):
    """One line of the output names the notebook, the rule and (if given) the cell."""
    lines = [line for line in output.splitlines() if f"[{rule}]" in line]
    assert lines, f"no [{rule}] problem reported:\n{output}"
    where = f"{path.name}: cell {cell + 1} (" if cell is not None else f"{path.name}: [{rule}]"
    assert any(where in line for line in lines), f"expected {where!r} in:\n{output}"


def cell_position(course, kind, index):
    """The position of the lesson's ``index``-th code (kind "code") or markdown cell."""
    notebook = nbformat.read(course[0], as_version=4)
    return (markdown_cells if kind == "markdown" else code_cells)(notebook)[index]


def check_broken(capsys, course, change, rule, cell=None):
    """Break the lesson with ``change`` and check it: the check fails naming the notebook,
    ``rule`` and (if given) the cell. What the check printed."""
    lesson, readme = course
    edit(lesson, change)
    status, output = run(capsys, lesson, readme)
    assert status == 1, output
    assert_named(output, lesson, rule, cell=cell)
    return output


def test_the_copy_passes_before_it_is_broken(course, capsys):
    lesson, readme = course
    status, output = run(capsys, lesson, readme)
    assert status == 0, output
    assert "no problems" in output


def test_error_output_is_named(course, capsys):
    target = cell_position(course, "code", 2)
    error = nbformat.v4.new_output(
        "error", ename="NameError", evalue="name 'x' is not defined", traceback=[]
    )
    output = check_broken(capsys, course, _add_output(target, error), "error-output", cell=target)
    assert "NameError: name 'x' is not defined" in output


def test_out_of_order_execution_is_named(course, capsys):
    first, second = (cell_position(course, "code", i) for i in (1, 2))

    def swap(nb):
        a, b = nb.cells[first], nb.cells[second]
        a.execution_count, b.execution_count = b.execution_count, a.execution_count

    output = check_broken(capsys, course, swap, "execution-order", cell=first)
    assert output.count("[execution-order]") == 1, "one out-of-order cell is reported once"


def test_a_cell_run_twice_is_named(course, capsys):
    target = cell_position(course, "code", 3)

    def rerun(nb):
        nb.cells[target].execution_count = 42

    output = check_broken(capsys, course, rerun, "execution-order", cell=target)
    assert "execution count 42 where 4 was expected" in output


def test_an_unexecuted_cell_is_named(course, capsys):
    target = cell_position(course, "code", -1)

    def unrun(nb):
        nb.cells[target].execution_count = None
        nb.cells[target].outputs = []

    output = check_broken(capsys, course, unrun, "execution-order", cell=target)
    assert "never run" in output


def test_a_notebook_never_run_is_named_once(course, capsys):
    def clear(nb):
        for i in code_cells(nb):
            nb.cells[i].execution_count, nb.cells[i].outputs = None, []

    output = check_broken(capsys, course, clear, "execution-order")
    assert output.count("[execution-order]") == 1


@pytest.mark.parametrize(
    "image",
    [
        "![iris](https://example.org/iris.png)",
        '<img src="http://example.org/iris.png" width="300">',
        "![iris][photo]\n\n[photo]: https://example.org/iris.png",
        "![iris](//example.org/iris.png)",
    ],
    ids=["markdown", "html", "reference", "protocol-relative"],
)
def test_remote_image_in_markdown_is_named(course, capsys, image):
    target = cell_position(course, "markdown", 1)
    change = _set_source(target, lambda source: source + "\n\n" + image)
    output = check_broken(capsys, course, change, "remote-image", cell=target)
    assert "example.org/iris.png" in output


def test_remote_image_in_an_output_is_named(course, capsys):
    target = cell_position(course, "code", 1)
    html = nbformat.v4.new_output(
        "display_data",
        data={
            "text/html": '<img src="https://example.org/iris.png">',
            "text/plain": "<IPython.core.display.HTML object>",
        },
    )
    check_broken(capsys, course, _add_output(target, html), "remote-image", cell=target)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("code", 'data_file = "/home/ana/iris.csv"'),
        ("code", r'data_file = r"C:\Users\ana\iris.csv"'),
        ("code", "%cd /work/main/notebooks"),
        ("markdown", "The data are in [this file](/home/ana/iris.csv)."),
        ("markdown", "Open `/Users/ana/course/data.csv` first."),
        ("markdown", '<img src="/home/ana/figure.png">'),
        ("output", "/work/main/gmmlab/em.py:120: RuntimeWarning: divide by zero"),
    ],
)
def test_absolute_path_is_named(course, capsys, kind, text):
    target = cell_position(course, kind, 1)

    def add(nb):
        cell = nb.cells[target]
        if kind == "output":
            cell.outputs.append(nbformat.v4.new_output("stream", name="stderr", text=text))
        else:
            cell.source = text + "\n" + cell.source

    check_broken(capsys, course, add, "absolute-path", cell=target)


@pytest.mark.parametrize(
    "line",
    [
        "import requests",
        "from urllib.request import urlopen",
        "import urllib",
        "import socket",
        "from sklearn.datasets import fetch_openml",
        "X = sklearn.datasets.fetch_california_housing().data",
        'table = np.loadtxt("https://example.org/iris.csv")',
        "!pip install seaborn",
        "%pip install seaborn",
        "!wget -q https://example.org/iris.csv",
        "!curl -O data.csv",
        "!git clone course-data",
        "%%bash\ncurl -O data.csv",
    ],
)
def test_network_use_is_named(course, capsys, line):
    target = cell_position(course, "code", 1)
    change = _set_source(target, lambda source: line + "\n" + source)
    check_broken(capsys, course, change, "network", cell=target)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("markdown", "More on [Wikipedia](https://en.wikipedia.org/wiki/Iris_flower_data_set)."),
        ("markdown", "![a figure drawn beside the lesson](figures/ellipses.png)"),
        ("markdown", "petal length/width, in cm/s/s, 1/2/3 and and/or"),
        ("code", "# https://example.org explains this\nfrom urllib.parse import urlparse"),
        ("code", 'print("petal length / width:", 1 / 2)'),
        ("output", "/tmp/ipykernel_1234/5678.py:3: RuntimeWarning: overflow"),
        ("output", '<img alt="a dot" src="data:image/png;base64,/9j/4AAQSkZJRg/ab/cd">'),
        ("output", '<script>frames[0] = "data:image/jpeg;base64,/9j/4A\\\n/wD4/AOOVs0/CL6f";'),
    ],
)
def test_what_is_allowed_passes(course, capsys, kind, text):
    """No false alarms: links, relative paths, fractions, comments, ipykernel's cell files."""
    lesson, readme = course
    target = cell_position(course, kind, 1)

    def add(nb):
        cell = nb.cells[target]
        if kind == "output":
            data = {"text/html": text, "text/plain": "x"} if text.startswith("<") else None
            cell.outputs.append(
                nbformat.v4.new_output("display_data", data=data)
                if data
                else nbformat.v4.new_output("stream", name="stderr", text=text)
            )
        else:
            cell.source = text + "\n" + cell.source

    edit(lesson, add)
    status, output = run(capsys, lesson, readme)
    assert status == 0, output


def test_size_over_budget_is_named_with_the_heaviest_cell(course, capsys):
    target = cell_position(course, "code", 2)

    def inflate(nb):
        blob = "A" * (check_notebooks.MAX_BYTES + 1000)
        nb.cells[target].outputs.append(
            nbformat.v4.new_output("display_data", data={"image/png": blob, "text/plain": "big"})
        )

    output = check_broken(capsys, course, inflate, "size")
    assert f"cell {target + 1} (" in output.split("[size]")[1], "the heaviest cell is named"


def test_stored_widget_state_is_rejected(course, capsys):
    def add_state(nb):
        nb.metadata["widgets"] = {
            "application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}
        }

    check_broken(capsys, course, add_state, "widget-state")


def test_missing_kernelspec_is_named(course, capsys):
    check_broken(capsys, course, lambda nb: nb.metadata.pop("kernelspec"), "kernelspec")


def _replace_in_markdown(old, new):
    def change(nb):
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = cell.source.replace(old, new)

    return change


def test_missing_objectives_are_named(course, capsys):
    change = _replace_in_markdown("After this lesson you will be able to", "In this lesson")
    check_broken(capsys, course, change, "objectives")


def test_objectives_without_bullets_name_their_cell(course, capsys):
    notebook = nbformat.read(course[0], as_version=4)
    target = next(
        i for i, c in enumerate(notebook.cells) if "After this lesson you will" in c.source
    )

    def drop_bullets(nb):
        cell = nb.cells[target]
        cell.source = "\n".join(
            line for line in cell.source.splitlines() if not line.startswith(("- ", "  "))
        )

    check_broken(capsys, course, drop_bullets, "objectives", cell=target)


def test_missing_recap_is_named(course, capsys):
    check_broken(capsys, course, _replace_in_markdown("## Recap", "## Summary"), "recap")


def test_missing_from_the_readme_is_named(course, capsys, tmp_path):
    lesson, _ = course
    readme = tmp_path / "OTHER_README.md"
    readme.write_text(f"# course\n\n{START}\n| # | lesson |\n|---|---|\n{END}\n")
    status, output = run(capsys, lesson, readme)
    assert status == 1
    assert_named(output, lesson, "readme")
    assert "missing from the README's lesson list" in output


def test_a_stale_readme_row_is_named(course, capsys):
    title = nbformat.read(course[0], as_version=4).cells[0].source.splitlines()[0]
    change = _replace_in_markdown(title, title + " and more")
    output = check_broken(capsys, course, change, "readme")
    assert "out of date" in output


def test_title_number_and_duration_are_checked(course, capsys):
    lesson, readme = course
    title = nbformat.read(lesson, as_version=4).cells[0].source.splitlines()[0]
    wrong = title.replace(f"Lesson {int(lesson.name[:2])} ·", "Lesson 42 ·")
    edit(lesson, _replace_in_markdown(title, wrong))
    edit(lesson, _replace_in_markdown("*About ", "*Roughly "))
    _write_readme(readme.parent, lesson.parent)  # so that only these two rules break
    status, output = run(capsys, lesson, readme)
    assert status == 1
    assert "does not match the file name" in output
    assert "*About NN minutes.*" in output
    assert output.count("[course-map]") == 2


def test_a_notebook_not_named_like_a_lesson_is_named(course, capsys):
    lesson, readme = course
    renamed = lesson.with_name("My Lesson.ipynb")
    lesson.rename(renamed)
    status, output = run(capsys, renamed, readme)
    assert status == 1
    assert_named(output, renamed, "name")


def test_an_unreadable_notebook_is_named(course, capsys):
    lesson, readme = course
    lesson.write_text("{ not json", encoding="utf-8")
    status, output = run(capsys, lesson, readme)
    assert status == 1
    assert_named(output, lesson, "unreadable")
    assert "restore it from git" in output


def _conflicted(text):
    """A notebook's JSON as git leaves it after a conflict on one line."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if '"source": [' in line) + 1
    conflict = ["<<<<<<< HEAD", lines[at], "=======", lines[at].replace("a", "e"), ">>>>>>> other"]
    return "\n".join(lines[:at] + conflict + lines[at + 1 :])


def test_a_merge_conflict_is_a_reported_problem_never_a_traceback(course):
    """Every notebook given is checked, the conflicted one reports the conflict: the course
    map, the conflicted lesson and the lessons on either side of it (the whole course, clean,
    is test_the_real_notebooks_pass's and make test's check-notebooks process's)."""
    lesson, readme = course
    lesson.write_text(_conflicted(lesson.read_text(encoding="utf-8")), encoding="utf-8")
    course_order = sorted(lesson.parent.glob("*.ipynb"))
    at = course_order.index(lesson)
    folder = sorted({course_order[0], *course_order[max(at - 1, 1) : at + 2]})
    assert len(folder) == 4 and lesson in folder
    checked = run_tool("check_notebooks", *folder, "--readme", readme)
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr + checked.stdout, checked.stderr
    lines = [line for line in checked.stdout.splitlines() if "[unreadable]" in line]
    assert len(lines) == 1 and lesson.name in lines[0], checked.stdout
    assert "merge conflict is left in the file" in lines[0] and "nbdime" in lines[0]
    others = [line for line in checked.stdout.splitlines() if lesson.name not in line]
    assert not others, "the other notebooks stay quiet:\n" + "\n".join(others)


def test_a_stale_course_map_is_named(tmp_path, capsys):
    """00_index stores the course map; a map that lists another lesson set is stale."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    index = notebooks / "00_index.ipynb"
    shutil.copy(NOTEBOOKS / "00_index.ipynb", index)
    shutil.copy(_model_lesson(), notebooks / _model_lesson().name)
    readme = _write_readme(tmp_path, notebooks)
    notebook = nbformat.read(index, as_version=4)
    target = next(i for i, c in enumerate(notebook.cells) if "course_map(" in c.source)

    def store_a_map_with_one_more_lesson(nb):
        nb.cells[target].outputs = [
            nbformat.v4.new_output(
                "execute_result",
                data={
                    "text/markdown": course_map(notebooks) + "\n| 99 | [gone](99_gone.ipynb) |",
                    "text/plain": "<IPython.core.display.Markdown object>",
                },
                execution_count=nb.cells[target].execution_count,
            )
        ]

    edit(index, store_a_map_with_one_more_lesson)
    status, output = run(capsys, index, readme)
    assert status == 1
    assert_named(output, index, "course-map", cell=target)

    def store_the_current_map(nb):
        nb.cells[target].outputs[0].data["text/markdown"] = course_map(notebooks)

    edit(index, store_the_current_map)
    problems = check_notebooks.check_notebook(index, readme.read_text())
    assert not [problem for problem in problems if problem.rule == "course-map"]


def test_the_course_map_needs_no_objectives_or_recap(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    index = notebooks / "00_index.ipynb"
    shutil.copy(NOTEBOOKS / "00_index.ipynb", index)
    readme = _write_readme(tmp_path, notebooks)
    problems = check_notebooks.check_notebook(index, readme.read_text())
    assert not [p for p in problems if p.rule in {"objectives", "recap"}]


def test_a_copy_of_the_template_fails_on_its_leftovers_only(tmp_path, capsys):
    """Copied and untouched, the template fails on its TEMPLATE comments and its title; with
    those replaced, it passes every rule."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    copy = notebooks / "09_new_lesson.ipynb"
    shutil.copy(TEMPLATE, copy)
    readme = _write_readme(tmp_path, notebooks)  # what `make readme` does after the copy
    status, output = run(capsys, copy, readme)
    assert status == 1
    notebook = nbformat.read(copy, as_version=4)
    commented = [i for i, c in enumerate(notebook.cells) if "<!-- TEMPLATE" in c.source]
    assert commented
    for index in commented:
        assert_named(output, copy, "template", cell=index)
    assert "title is still the template's" in output
    rules = {line.split("[")[1].split("]")[0] for line in output.splitlines() if "[" in line}
    assert rules == {"template"}, output

    template = read_lesson(TEMPLATE)
    assert template.objectives and template.recap

    def finish(nb):
        for cell in nb.cells:
            cell.source = re.sub(r"<!-- TEMPLATE.*?-->\n*", "", cell.source, flags=re.DOTALL)
            cell.source = cell.source.replace(template.summary, "Something new")
            for bullet in template.objectives + template.recap:
                cell.source = cell.source.replace(bullet, "our own " + bullet)

    edit(copy, finish)
    readme = _write_readme(tmp_path, notebooks)
    status, output = run(capsys, copy, readme)
    assert status == 0, output
    tags = [set(cell.metadata.get("tags", [])) for cell in notebook.cells]
    assert {"exercise"} in tags and {"solution"} in tags and {"check"} in tags
    sources = "\n".join(cell.source for cell in notebook.cells)
    assert "explorer.snapshot()" in sources and "use_if_correct(" in sources


def test_the_real_notebooks_pass(capsys):
    """`make check-notebooks` on the course. make test deselects it: its notebook rules'
    process, beside the tests, runs the same check (`python -m tools.check_notebooks`)."""
    status = check_notebooks.main([])
    output = capsys.readouterr().out
    assert status == 0, output


def test_the_command_line_fails_and_names_the_cell(course):
    lesson, readme = course
    notebook = nbformat.read(lesson, as_version=4)
    target = code_cells(notebook)[0]
    edit(lesson, lambda nb: setattr(nb.cells[target], "execution_count", 7))
    run_ = run_tool("check_notebooks", lesson, "--readme", readme)
    assert run_.returncode == 1
    assert f"{lesson.name}: cell {target + 1} (" in run_.stdout
    assert "[execution-order]" in run_.stdout
    assert "1 problem(s) in 1 file(s)" in run_.stderr


def test_every_rule_is_listed_and_documented():
    listed = run_tool("check_notebooks", "--list-rules", check=True).stdout
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for rule in check_notebooks.RULES:
        assert rule in listed
        assert f"`{rule}`" in contributing, f"CONTRIBUTING.md does not explain the rule {rule}"


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("from gmmlab.check import check_e_step", "check_e_step(f)"),
        ("from gmmlab.check import check_e_step as verify", "verify(f)"),
        ("from gmmlab.check import *", "check_m_step(f)"),
        ("import gmmlab", "gmmlab.check.check_log_likelihood(f)"),
        ("import gmmlab.check", "gmmlab.check.check_e_step(f)"),
        ("import gmmlab.check as gc", "gc.check_e_step(f)"),
        ("from gmmlab import check", "feedback = check.check_m_step(f)"),
        ("from gmmlab import check as c", "print(c.check_e_step(f))"),
    ],
    ids=["imported", "renamed", "star", "qualified", "module", "module-alias", "from", "from-as"],
)
def test_an_untagged_checker_call_is_named(course, capsys, imports, call):
    lesson, readme = course
    notebook = nbformat.read(lesson, as_version=4)
    first, target = code_cells(notebook)[0], code_cells(notebook)[3]
    edit(lesson, _set_source(first, lambda source: source + "\n" + imports))
    change = _set_source(target, lambda source: source + "\n" + call)
    output = check_broken(capsys, course, change, "check-tag", cell=target)
    assert output.count("[check-tag]") == 1, "the import cell is not a checker call"

    def tag(nb):
        nb.cells[target].metadata["tags"] = ["check"]

    edit(lesson, tag)
    assert run(capsys, lesson, readme)[0] == 0


@pytest.mark.parametrize(
    "source",
    [
        "def check_answer(x):\n    return x == 2\n\ncheck_answer(2)",  # the lesson's own function
        "from gmmlab.check import check_e_step\nchecker = check_e_step",  # named, not called
        "import numpy as check\ncheck.check_e_step = print",  # another module called check
    ],
)
def test_what_is_not_a_checker_call_needs_no_tag(course, capsys, source):
    lesson, readme = course
    notebook = nbformat.read(lesson, as_version=4)
    target = code_cells(notebook)[3]
    edit(lesson, _set_source(target, lambda old: old + "\n" + source))
    problems = check_notebooks.check_notebook(lesson, readme.read_text())
    assert not [problem for problem in problems if problem.rule == "check-tag"]


def test_the_checker_registry_is_what_check_notebooks_knows():
    """Every public checker of gmmlab.check is registered, under its own name (the checkers
    are imported on first use: the registry imports them all, the star import names them)."""
    import gmmlab.check

    registry = gmmlab.check.CHECKERS
    assert set(gmmlab.check.__all__) == {*registry, "use_if_correct"}
    public = {
        name
        for name, value in vars(gmmlab.check).items()
        if isinstance(value, gmmlab.check.Checker) and not name.startswith("_")
    }
    assert public == set(registry)
    assert all(registry[name].name == name for name in public)


@pytest.mark.parametrize("form", ["{stem}", "{stem}.ipynb", "notebooks/{stem}.ipynb"])
def test_every_lesson_form_names_the_same_notebook(capsys, form):
    stem = _model_lesson().stem
    (path,) = resolve_notebooks([form.format(stem=stem)])
    assert path.resolve() == _model_lesson().resolve()
    assert resolve_notebooks(form.format(stem=stem)) == [path]  # LESSON= as one string
    assert check_notebooks.main([form.format(stem=stem)]) == 0, capsys.readouterr().out


def test_an_unknown_lesson_is_refused_with_the_lessons_there_are():
    with pytest.raises(SystemExit, match=r"no such lesson: 99_nothing\..*01_intro"):
        resolve_notebooks(["01_intro", "99_nothing"])
    assert resolve_notebooks("01_intro,02_hard_vs_soft 01_intro.ipynb") == [
        NOTEBOOKS / "01_intro.ipynb",
        NOTEBOOKS / "02_hard_vs_soft.ipynb",
    ]


# -- exercises ----------------------------------------------------------------------------


def _first(notebook, tag):
    return next(i for i, c in enumerate(notebook.cells) if tag in c.metadata.get("tags", []))


def test_the_exercise_layout_passes_as_it_is(exercise_course, capsys):
    lesson, readme = exercise_course
    status, output = run(capsys, lesson, readme)
    assert status == 0, output


def test_a_solution_in_a_code_cell_is_named(exercise_course, capsys):
    """The old layout: Run All would run the solution and replace the learner's function."""
    target = _first(nbformat.read(exercise_course[0], as_version=4), "solution")

    def to_code(nb):
        code = check_notebooks.solution_code(nb.cells[target].source)
        cell = nbformat.v4.new_code_cell(code, execution_count=None)
        cell.metadata["tags"] = ["solution"]
        nb.cells[target] = cell

    output = check_broken(capsys, exercise_course, to_code, "exercise", cell=target)
    assert "runs on Run All and replaces the learner's own function" in output


def test_a_solution_outside_details_is_named(exercise_course, capsys):
    target = _first(nbformat.read(exercise_course[0], as_version=4), "solution")
    unwrap = re.compile(r"</?details>|<summary>.*?</summary>")
    change = _set_source(target, lambda s: unwrap.sub("", s))
    output = check_broken(capsys, exercise_course, change, "exercise", cell=target)
    assert "inside" in output and "<details>" in output


def test_prose_about_the_solution_outside_it_is_named(exercise_course, capsys):
    notebook = nbformat.read(exercise_course[0], as_version=4)
    exercise = _first(notebook, "exercise")
    before = max(i for i in markdown_cells(notebook) if i < exercise)
    change = _set_source(before, lambda s: s + "\n\nExpand the reference solution below.")
    output = check_broken(capsys, exercise_course, change, "exercise", cell=before)
    assert "speaks of the solution" in output


def test_a_check_that_stored_the_verdict_on_the_solution_is_named(exercise_course, capsys):
    """What Run All stored when it ran the solution: every case passing."""
    check = _first(nbformat.read(exercise_course[0], as_version=4), "check")

    def store_success(nb):
        for output in nb.cells[check].outputs:
            text = output.get("data", {}).get("text/plain") or output.get("text", "")
            text = re.sub(r"✘ (.*?):.*", r"✔ \1: correct", text)
            if "data" in output:
                output.data["text/plain"] = text
            else:
                output.text = text

    check_broken(capsys, exercise_course, store_success, "exercise", cell=check)


def test_an_exercise_without_its_check_below_is_named(exercise_course, capsys):
    lesson, readme = exercise_course
    notebook = nbformat.read(lesson, as_version=4)
    exercise, check = _first(notebook, "exercise"), _first(notebook, "check")
    assert check == exercise + 1

    def move_check_away(nb):
        nb.cells.insert(len(nb.cells), nb.cells.pop(check))

    edit(lesson, move_check_away)
    problems = check_notebooks.check_notebook(lesson, readme.read_text())
    assert [p for p in problems if p.rule == "exercise" and p.cell == exercise + 1]


# -- numbers in the prose -----------------------------------------------------------------


def _cell_quoting(notebook, number):
    return next(
        i
        for i in markdown_cells(notebook)
        if re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", notebook.cells[i].source)
    )


def test_a_prose_number_no_output_shows_is_named(course, capsys):
    """Change the first number the model lesson's prose quotes to one no output shows."""
    from tools.prose_numbers import output_values, prose_numbers

    notebook = nbformat.read(course[0], as_version=4)
    shown = [v for c in notebook.cells if c.cell_type == "code" for v in output_values(c.outputs)]
    target, number = next(
        (i, n) for i in markdown_cells(notebook) for n in prose_numbers(notebook.cells[i].source)
    )
    step = 10.0**-number.decimals
    wrong = next(
        f"{number.value + k * step:.{number.decimals}f}"
        for k in range(7, 1000)
        if not any(abs(v - (number.value + k * step)) <= step for v in shown)
    )
    change = _set_source(target, lambda s: s.replace(number.text, wrong, 1))
    output = check_broken(capsys, course, change, "prose-number", cell=target)
    assert f"the text states {wrong}" in output


def test_a_declared_constant_passes_and_a_stale_declaration_is_named(course, capsys):
    lesson, readme = course
    notebook = nbformat.read(lesson, as_version=4)
    target = markdown_cells(notebook)[2]
    edit(lesson, _set_source(target, lambda s: s + "\n\nA book from 1977 says so."))
    status, output = run(capsys, lesson, readme)
    assert status == 1 and "the text states 1977" in output
    edit(lesson, _set_source(target, lambda s: s + "\n<!-- constants: 1977 (the book) -->"))
    assert run(capsys, lesson, readme)[0] == 0
    change = _set_source(target, lambda s: s.replace("A book from 1977 says so.", ""))
    output = check_broken(capsys, course, change, "prose-number", cell=target)
    assert "declares 1977, which this cell no longer states" in output


def test_a_constant_an_output_shows_may_not_be_declared(course, capsys):
    target = _cell_quoting(nbformat.read(course[0], as_version=4), "150")
    change = _set_source(target, lambda s: s + "\n<!-- constants: 150 -->")
    output = check_broken(capsys, course, change, "prose-number", cell=target)
    assert "which an output above already shows" in output


# -- the link onward and the lesson count --------------------------------------------------


def _onward_cell(notebook):
    return max(i for i in markdown_cells(notebook) if "**Next:**" in notebook.cells[i].source)


def test_a_next_link_to_another_lesson_is_named(course, capsys):
    lesson = course[0]
    target = _onward_cell(nbformat.read(lesson, as_version=4))
    course_names = [lesson.path.name for lesson in lessons(lesson.parent)]
    expected = course_names[course_names.index(lesson.name) + 1]
    change = _set_source(target, lambda s: s.replace(f"({expected})", "(00_index.ipynb)"))
    output = check_broken(capsys, course, change, "next-link", cell=target)
    assert expected in output


def test_a_next_link_whose_text_names_another_lesson_is_named(course, capsys):
    target = _onward_cell(nbformat.read(course[0], as_version=4))
    number = int(course[0].name[:2]) + 1
    change = _set_source(target, lambda s: s.replace(f"Lesson {number} ·", "Lesson 42 ·"))
    output = check_broken(capsys, course, change, "next-link", cell=target)
    assert "'Lesson 42'" in output


def test_a_lesson_without_a_next_link_is_named(course, capsys):
    check_broken(capsys, course, _replace_in_markdown("**Next:**", "**Then:**"), "next-link")


def test_the_last_lesson_links_to_the_course_map(course, capsys):
    lesson, readme = course
    last = lessons(lesson.parent)[-1].path
    assert run(capsys, last, readme)[0] == 0
    onward = _onward_cell(nbformat.read(last, as_version=4))
    change = _replace_in_markdown("(00_index.ipynb)", "(01_intro.ipynb)")
    output = check_broken(capsys, (last, readme), change, "next-link", cell=onward)
    assert "the course map" in output


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [
        ("This is the first of eight lessons.", True),
        ("The course has 12 lessons in all.", True),
        ("Work through all nine lessons.", True),
        ("Two lessons at once: EM climbs, and more.", False),
        ("Lessons 3 and 4 fitted mixtures; lessons 6 to 8 derive EM.", False),
    ],
)
def test_a_hard_coded_lesson_count_is_named(course, capsys, sentence, counted):
    lesson, readme = course
    notebook = nbformat.read(lesson, as_version=4)
    target = markdown_cells(notebook)[1]
    edit(lesson, _set_source(target, lambda s: s + "\n\n" + sentence))
    status, output = run(capsys, lesson, readme)
    assert (status == 1) == counted, output
    if counted:
        assert_named(output, lesson, "lesson-count", cell=target)


# -- the rule registry ---------------------------------------------------------------


def test_a_problem_with_an_unregistered_rule_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="unknown rule 'no-such-rule'"):
        check_notebooks.Problem(tmp_path / "01_x.ipynb", "no-such-rule", "a message")


def test_every_rule_is_one_registered_function_with_a_scope():
    for name, registered in check_notebooks.RULES.items():
        assert registered.name == name
        assert registered.scope in check_notebooks.SCOPES
        assert callable(registered.check) and registered.description
    with pytest.raises(ValueError, match="registered twice"):
        check_notebooks.rule("size", "a second rule of the same name")
    with pytest.raises(ValueError, match="scope must be one of"):
        check_notebooks.rule("a-new-rule", "a description", scope="everywhere")


def _timed_lesson(tmp_path, stated, words):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"# Lesson 3 · Timing\n\n*About {stated} minutes.*"),
        nbformat.v4.new_markdown_cell("word " * words),
    ]
    path = tmp_path / "03_timing.ipynb"
    nbformat.write(notebook, path)
    return check_notebooks.Notebook.read(path)


@pytest.mark.parametrize(
    ("stated", "words", "expected"),
    [
        (15, 1300, []),  # 1,300 words + 6 of the title's: 10.05 minutes, rounded up to 15
        (10, 1300, ["the timing rule gives 15"]),
        (5, 640, []),  # 646 words: 4.97 minutes
        (10, 640, ["the timing rule gives 5"]),
        (45, 5500, ["over the 40-minute limit"]),  # 42.4 minutes
        (40, 5500, ["over the 40-minute limit", "the timing rule gives 45"]),
    ],
)
def test_the_stated_duration_is_the_timing_rule_and_at_most_40_minutes(
    tmp_path, stated, words, expected
):
    notebook = _timed_lesson(tmp_path, stated, words)
    messages = [problem.message for problem in check_notebooks._check_duration(notebook)]
    assert len(messages) == len(expected), messages
    for message, fragment in zip(messages, expected, strict=True):
        assert fragment in message
    if expected:  # the message shows the rule's terms, so the author sees what to cut
        assert f"{words + 6:,} words / 130" in messages[-1]


# -- figure-alt: every figure says what it shows, and no two say the same -----------------


def _figure_output(alt=None):
    """A figure as a notebook stores it: gmmlab.plotting.show's output (with ``alt``), or what
    plt.show() stores (no alt)."""
    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from gmmlab.plotting import show

    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [1, 0])
    if alt is None:
        import base64

        from IPython.core.pylabtools import print_figure

        png = base64.b64encode(print_figure(fig, "png")).decode("ascii")
        data = {"image/png": png, "text/plain": "<Figure size 200x150 with 1 Axes>"}
        plt.close(fig)
        return nbformat.v4.new_output("display_data", data)
    InteractiveShell.instance()
    with capture_output() as captured:
        show(fig, alt=alt)
    ((shown,),) = [captured.outputs]
    return nbformat.v4.new_output("display_data", shown.data, metadata=shown.metadata)


def _figures_notebook(path, *outputs):
    """A notebook built here: a title, then one code cell per output."""
    cells = [nbformat.v4.new_markdown_cell("# Figures")]
    for count, output in enumerate(outputs, start=1):
        cell = nbformat.v4.new_code_cell(f"figure_{count}()", execution_count=count)
        cell.outputs = [output]
        cells.append(cell)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return [p for p in check_notebooks.check_notebook(path) if p.rule == "figure-alt"]


def test_figures_with_their_own_alt_text_pass(tmp_path):
    problems = _figures_notebook(
        tmp_path / "figures.ipynb",
        _figure_output("Line A falls from 1 to 0."),
        _figure_output("Line B falls from 1 to 0, drawn again for the test."),
    )
    assert problems == []


def test_a_figure_without_alt_text_is_named(tmp_path):
    problems = _figures_notebook(
        tmp_path / "figures.ipynb", _figure_output("Line A falls from 1 to 0."), _figure_output()
    )
    (problem,) = problems
    assert problem.cell == 3 and "image/png output has no alt text" in problem.message
    assert "gmmlab.plotting.show(fig, alt=" in problem.message


def test_two_figures_with_the_same_alt_text_are_named(tmp_path):
    alt = "Line A falls from 1 to 0."
    problems = _figures_notebook(
        tmp_path / "figures.ipynb",
        _figure_output(alt),
        _figure_output("Something else."),
        _figure_output("  line a FALLS from 1 to 0. "),  # the same words, other case and spaces
    )
    (problem,) = problems
    assert problem.cell == 4 and "the same as the figure's of cell 2" in problem.message


def test_an_html_image_needs_alt_text_too(tmp_path):
    without = nbformat.v4.new_output("display_data", {"text/html": "<p><img src=x></p>"})
    empty = nbformat.v4.new_output("display_data", {"text/html": '<img alt=" " src="data:,">'})
    described = nbformat.v4.new_output("display_data", {"text/html": "<img alt='a dot' src=x>"})
    problems = _figures_notebook(tmp_path / "figures.ipynb", without, empty, described)
    assert [p.cell for p in problems] == [2, 3]
    assert all("1 <img> without alt text" in p.message for p in problems)


def test_the_figure_alt_problem_is_printed_by_the_command(tmp_path, capsys):
    path = tmp_path / "01_figures.ipynb"
    _figures_notebook(path, _figure_output())
    status, output = run(capsys, path, _write_readme(tmp_path, tmp_path))
    assert status == 1
    assert_named(output, path, "figure-alt", cell=1)  # counted from 0 here
