"""Shared fixtures: the Iris data in 1-D and 2-D, and hypothesis settings."""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import gmmlab
from gmmlab.datasets import load_iris_features

# Derandomized so that two runs of `make test` see the same examples.
settings.register_profile(
    "gmmlab",
    deadline=None,
    derandomize=True,
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "60")),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("gmmlab")


@pytest.fixture(scope="session")
def iris_1d():
    """Petal width of the 150 flowers, (150, 1)."""
    return load_iris_features(("petal width",)).X


@pytest.fixture(scope="session")
def iris_2d():
    """Petal length and width, (150, 2)."""
    return load_iris_features(("petal length", "petal width")).X


@pytest.fixture(scope="session")
def iris_features():
    """All four measurements of the 150 flowers, (150, 4)."""
    return load_iris_features(None).X


@pytest.fixture
def two_blobs():
    """A small, well-separated 2-D data set and parameters near its truth."""
    truth = gmmlab.MixtureParams(
        weights=[0.4, 0.6],
        means=[[0.0, 0.0], [5.0, 3.0]],
        covariances=[[[1.0, 0.3], [0.3, 0.5]], [[0.6, -0.2], [-0.2, 1.2]]],
    )
    X, labels = truth.sample(200, seed=3)
    return X, labels, truth


def random_spd(rng, n_features, scale=1.0):
    """A random symmetric positive definite matrix, well conditioned."""
    A = rng.standard_normal((n_features, n_features))
    return scale * (A @ A.T + n_features * np.eye(n_features)) / n_features
