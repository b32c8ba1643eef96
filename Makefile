# gmmlab: the course and its library.
#   make lab               set up .venv if needed, then open the course in JupyterLab
#     LAB_ARGS="--port 8890 --no-browser"   options for jupyter lab
#   make test              set up .venv if needed, then lint, check the notebooks, run every test
#                          (the notebook rules, the browser suite, the claims tests and the other
#                          tests side by side; each notebook runs once, two at a time, while the
#                          tests run; BLAS on one thread a process, tests/pytest_startup.py)
#     PYTEST_ARGS="-x -k student"           options (or test files) for pytest; one lesson's
#                          nbval alone: .venv/bin/python -m pytest notebooks/04_iris_2d.ipynb
#   make test-fast         the library's tests only (no notebook, tool, browser or claims test;
#                          20 examples a hypothesis property; BLAS on one thread, as make test):
#                          for the inner loop of library work
#   make bench             the speed and memory report (EM, the course, slider callbacks)
#   make test-browser      only the browser suite: every lesson in JupyterLab + Chromium
#   make bench-browser     slider key press -> new figure on screen, bytes per drag (Chromium)
#   make refresh           re-run every lesson in place, and show the text outputs that changed
#   make check-notebooks   the lesson rules: errors, run order, offline, size, sections, README
#     LESSON=04_iris_2d    (or 04_iris_2d.ipynb, notebooks/04_iris_2d.ipynb; several: "01_intro 02_hard_vs_soft")
#                          limits refresh, check-notebooks, test-browser and bench-browser to it
#   make lint              ruff over the library, tests, tools, benchmarks and notebooks
#   make readme            rewrite the README's lesson list from the lessons
#   make student           the students' copy, without solutions, in dist/student/
#   make nbgrader          an nbgrader course from the exercises, in dist/nbgrader/ (INSTRUCTORS.md)
#   make diff-setup        readable notebook diffs and merges in git (nbdime)
#   make hooks             run ruff and the notebook check before each commit (pre-commit)
#   make site              the course website in site/: every lesson with its outputs
#   make lock              pin Binder's packages (binder/) to the versions .venv runs
#   make binder-check      a fresh venv from binder/ alone: pip check, then nbval on every lesson
#   make upgrade           the newest versions pyproject.toml allows, into .venv (then make lock)
# PYTHON picks the interpreter that creates .venv (Python >= 3.10). CONTRIBUTING.md explains.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.gmmlab-installed
REVIEW_STAMP := $(VENV)/.gmmlab-review-installed
NBDIME_BIN = $(abspath $(BIN))
LINTED := gmmlab tests tools benchmarks notebooks templates
# JupyterLab refuses to run as root without this flag.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help setup lab test test-fast test-browser bench bench-browser clean refresh refresh-template \
	check-notebooks lint readme student diff-setup hooks

help:
	@awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' Makefile

# binder/: make setup installs Binder's pins when .venv has Binder's Python (tools/binder.py).
$(STAMP): pyproject.toml $(wildcard binder/requirements.txt binder/runtime.txt)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "gmmlab needs Python >= 3.10, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[lab,test]" $$($(BIN)/python -m tools.binder pip-args) \
		|| { echo "make setup: if pip names a conflict with binder/requirements.txt, pyproject.toml" \
		"asks for versions Binder's pins do not have: run 'make upgrade lock'" >&2; exit 1; }
	touch $@

$(REVIEW_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[review]"
	touch $@

setup: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) notebooks/00_index.ipynb

# lint first (a second); then four processes at once: the notebook rules, the browser suite,
# the claims tests and the other tests (whose notebook runs take two more kernels). The first
# three write to files under test-artifacts/, printed after the other tests' report;
# make test fails if any of the four fails. With PYTEST_ARGS, one pytest runs everything
# those arguments select (the browser suite included), beside the notebook rules.
# Every pytest process, and the kernels and tools it starts, runs BLAS on one thread
# (tests/pytest_startup.py): five busy processes on two cores leave OpenBLAS's extra thread
# nothing but spinning. OPENBLAS_NUM_THREADS=2 make test runs the suite with two.
TEST_LOGS := test-artifacts/make-test
# The claims tests (many fits each, no notebook) run in a fourth process: the other tests'
# process is the longest of the three, and one process uses one core.
CLAIMS := $(sort $(wildcard tests/test_claims_*.py))
# The same check as the notebook rules' process (check_notebooks.main() on the real course):
# make test runs it once, there.
RULES_TEST := tests/test_check_notebooks.py::test_the_real_notebooks_pass
test: lint
	@mkdir -p $(TEST_LOGS); rm -f $(TEST_LOGS)/*.log; \
	$(BIN)/python -m tools.check_notebooks > $(TEST_LOGS)/check-notebooks.log 2>&1 & rules=$$!; \
	if [ -z "$(PYTEST_ARGS)" ]; then \
		$(BIN)/python -m pytest tests/browser > $(TEST_LOGS)/browser.log 2>&1 & browser=$$!; \
		$(BIN)/python -m pytest $(CLAIMS) > $(TEST_LOGS)/claims.log 2>&1 & claims=$$!; \
		$(BIN)/python -m pytest --ignore=tests/browser $(CLAIMS:%=--ignore=%) \
			--deselect $(RULES_TEST); tests=$$?; \
		wait $$claims; claims_status=$$?; \
		echo "=== the claims tests (pytest tests/test_claims_*.py, run beside the tests above)"; \
		cat $(TEST_LOGS)/claims.log; \
		wait $$browser; browser_status=$$?; \
		echo "=== the browser suite (pytest tests/browser, run beside the tests above)"; \
		cat $(TEST_LOGS)/browser.log; \
	else \
		$(BIN)/python -m pytest $(PYTEST_ARGS); tests=$$?; browser_status=0; claims_status=0; \
	fi; \
	wait $$rules; rules_status=$$?; \
	echo "=== make check-notebooks (run beside the tests)"; cat $(TEST_LOGS)/check-notebooks.log; \
	[ $$tests -eq 0 ] && [ $$claims_status -eq 0 ] && [ $$browser_status -eq 0 ] && \
		[ $$rules_status -eq 0 ] || \
		{ echo "make test: FAILED (tests $$tests, claims $$claims_status, browser suite" \
			"$$browser_status, check-notebooks $$rules_status)" >&2; exit 1; }

# The library's own tests, with 20 hypothesis examples a property instead of 60.
test-fast: $(STAMP)
	HYPOTHESIS_MAX_EXAMPLES=20 $(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

test-browser: $(STAMP)
	GMMLAB_LESSON="$(LESSON)" $(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

bench-browser: $(STAMP)
	$(BIN)/python -m benchmarks.bench_browser $(LESSON) $(BENCH_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_em.py
	$(BIN)/python -m benchmarks.bench_course
	$(BIN)/python benchmarks/bench_online.py

refresh: $(STAMP)
	$(BIN)/python -m tools.refresh $(LESSON)

refresh-template: $(STAMP)
	$(BIN)/python -m tools.refresh templates/lesson_template.ipynb

check-notebooks: $(STAMP)
	$(BIN)/python -m tools.check_notebooks $(LESSON)

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)

readme: $(STAMP)
	$(BIN)/python -m tools.readme

student: $(STAMP)
	$(BIN)/python -m tools.student

# The nbgrader course (INSTRUCTORS.md): source/<lesson>/<exercise>.ipynb and nbgrader_config.py.
.PHONY: nbgrader
nbgrader: $(STAMP)
	$(BIN)/python -m tools.nbgrader_course $(LESSON)

diff-setup: $(REVIEW_STAMP)
	$(BIN)/nbdime config-git --enable
	@# git finds the drivers by name on PATH: name .venv's, so that they work without activating it.
	git config diff.jupyternotebook.command "$(NBDIME_BIN)/git-nbdiffdriver diff"
	git config merge.jupyternotebook.driver "$(NBDIME_BIN)/git-nbmergedriver merge %O %A %B %L %P"
	git config difftool.nbdime.cmd '$(NBDIME_BIN)/git-nbdifftool diff "$$LOCAL" "$$REMOTE" "$$BASE"'
	git config mergetool.nbdime.cmd \
		'$(NBDIME_BIN)/git-nbmergetool merge "$$BASE" "$$LOCAL" "$$REMOTE" "$$MERGED"'
	@echo "git diff, git merge and git mergetool now understand notebooks in this clone;"
	@echo "'$(BIN)/nbdiff-web' shows a diff with its figures in the browser."

hooks: $(REVIEW_STAMP)
	$(BIN)/pre-commit install

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache *.egg-info dist site

# -- Binder and the course website (README.md: "Binder and local installs") ------------------
.PHONY: site lock binder-check upgrade

site: $(STAMP)
	$(BIN)/python -m tools.site

lock: $(STAMP)
	$(BIN)/python -m tools.binder lock

binder-check: $(STAMP)
	$(BIN)/python -m tools.binder check

# Not after $(STAMP): it must work when pyproject.toml and the pins disagree.
upgrade:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --upgrade --upgrade-strategy eager -e ".[lab,test]"
	touch $(STAMP)
	@echo "now: make lock test binder-check, then commit binder/ if all pass"
