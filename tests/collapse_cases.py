"""Collapses built on purpose, for the tests of gmmlab's one collapse rule.

Each case is data and a start whose component 1 sits on tied values (or one point) with a
variance so small that every other point's responsibility underflows to exactly 0 in the
first E-step (exp(-3000) or less): the first M-step then leaves component 1 with nothing but
the rounding residue of its mean, 0 or about (eps * x)**2 depending on the processor. The
outcome, a ComponentCollapseError for component 1 in EM iteration 1, follows from the
numbers, not from a trajectory. ``python -m tests.collapse_cases`` prints the outcomes as
JSON, so that a test can compare them with those of a process on other BLAS kernels.
"""

import json

import numpy as np

import gmmlab
from gmmlab import MixtureParams


def tied_values():
    """1-D: eleven distinct widths, twelve flowers of width exactly 1.8, three wide ones."""
    X = np.concatenate([np.linspace(0.0, 1.0, 11), np.full(12, 1.8), [2.4, 2.5, 2.6]])
    start = MixtureParams([0.4, 0.4, 0.2], [0.5, 1.8, 2.5], [0.1, 1e-4, 0.01])
    return X[:, np.newaxis], start


def one_point():
    """1-D: a component on a single isolated point."""
    X = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 50.3])
    start = MixtureParams([0.5, 0.5], [1.0, 50.3], [1.0, 1e-3])
    return X[:, np.newaxis], start


def duplicated_rows(n_cloud=40):
    """2-D: a cloud of distinct points and eight copies of one row far from it."""
    cloud = np.random.default_rng(0).normal(size=(n_cloud, 2))
    X = np.vstack([cloud, np.tile([4.3, -2.7], (8, 1))])
    start = MixtureParams([0.5, 0.5], [[0.0, 0.0], [4.3, -2.7]], [np.eye(2), 1e-3 * np.eye(2)])
    return X, start


def duplicated_rows_large():
    """The same with 20,000 cloud points: large enough for BLAS to use its threads."""
    return duplicated_rows(n_cloud=20_000)


CASES = {
    "tied values": tied_values,
    "one point": one_point,
    "duplicated rows in 2-D": duplicated_rows,
    "duplicated rows in 2-D, 20,000 points": duplicated_rows_large,
}


def outcome(X, start, **kwargs):
    """(component, iteration) of the collapse of fit(X, init=start, reg_covar=0), or None."""
    try:
        gmmlab.fit(X, start.n_components, init=start, reg_covar=0.0, max_iter=20, **kwargs)
    except gmmlab.ComponentCollapseError as error:
        return [error.component, error.iteration]
    return None


def outcomes():
    """Every case's outcome, in memory and in chunks of 7 rows."""
    return {
        name: [outcome(*case()), outcome(*case(), chunk_size=7)] for name, case in CASES.items()
    }


if __name__ == "__main__":
    print(json.dumps(outcomes()))
