"""Data for the lessons: the Iris flowers, generated clusters, a photo's pixels.

Everything here works offline: Iris and the sample photos ship inside
scikit-learn, and the clusters are generated from a seed.
"""

from __future__ import annotations

import dataclasses
import numbers

import numpy as np

from ._validation import as_float_array, ensure_finite, ensure_int, ensure_seed, ensure_texts
from .params import MixtureParams, ensure_params

#: Iris measurements, in the column order of the data set.
IRIS_FEATURES = ("sepal length", "sepal width", "petal length", "petal width")

#: The three Iris species, in the order of their labels 0, 1, 2.
IRIS_SPECIES = ("setosa", "versicolor", "virginica")


@dataclasses.dataclass(frozen=True, eq=False)
class Dataset:
    """Points with their true groups.

    Attributes
    ----------
    X : ndarray of shape (N, D)
        The points, one row each.
    labels : ndarray of shape (N,)
        The true group of each point (species, or generating component).
    feature_names : tuple of str
        Axis labels for the D columns, with units where there are any.
    label_names : tuple of str
        The name of each group.
    params : MixtureParams or None
        The mixture that generated the points, when they were generated.

    Raises
    ------
    TypeError, ValueError
        If the fields disagree (a label per point, a name per feature and per
        group, ``params`` with D features) or have the wrong types.
    """

    X: np.ndarray
    labels: np.ndarray
    feature_names: tuple
    label_names: tuple
    params: MixtureParams | None = None

    def __post_init__(self):
        X = as_float_array(self.X, "X")
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}")
        ensure_finite(X, "X")
        labels = np.asarray(self.labels)
        if labels.dtype == bool or not np.issubdtype(labels.dtype, np.integer):
            raise TypeError(f"labels must be integers, got dtype {labels.dtype}")
        if labels.shape != (X.shape[0],):
            raise ValueError(
                f"labels must have one entry per row of X ({X.shape[0]}), got shape {labels.shape}"
            )
        feature_names = ensure_texts(self.feature_names, "feature_names", count=X.shape[1])
        label_names = ensure_texts(self.label_names, "label_names")
        if labels.size and not 0 <= labels.min() <= labels.max() < len(label_names):
            raise ValueError(
                f"labels must be group numbers 0..{len(label_names) - 1} (one per label "
                f"name), got values from {labels.min()} to {labels.max()}"
            )
        if self.params is not None:
            ensure_params(self.params, n_features=X.shape[1])
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "feature_names", feature_names)
        object.__setattr__(self, "label_names", label_names)

    @property
    def n_samples(self):
        """N, the number of points."""
        return self.X.shape[0]


def load_iris_features(features=("petal width",)):
    """Some measurements of the 150 Iris flowers, with their species.

    Parameters
    ----------
    features : str, int, sequence of str or int, or None
        Which measurements, in the order wanted, each at most once: names from
        ``IRIS_FEATURES`` ("petal width", with or without " (cm)", any case),
        or column indices 0-3 (numpy integers too). ``None`` takes all four.

    Returns
    -------
    Dataset
        ``X`` of shape (150, len(features)) in centimetres, ``labels`` the
        species 0, 1, 2 (``label_names`` says which is which), and
        ``feature_names`` such as ``"petal width (cm)"`` for axis labels.

    Raises
    ------
    TypeError
        If ``features`` (or one of its entries) is neither a name nor an index,
        or is unordered (a set).
    ValueError
        If a name or index is unknown, a measurement is asked twice, or none is.

    Examples
    --------
    >>> iris = load_iris_features(("petal length", "petal width"))
    >>> iris.X.shape, iris.feature_names
    ((150, 2), ('petal length (cm)', 'petal width (cm)'))
    """
    if features is None:
        features = IRIS_FEATURES
    if isinstance(features, (str, numbers.Integral)):
        features = (features,)
    if isinstance(features, (set, frozenset, dict)) or not hasattr(features, "__iter__"):
        raise TypeError(
            "features must be a name, an index or a sequence of them in the order wanted, "
            f"such as ('petal length', 'petal width'); got {type(features).__name__}"
        )
    columns = [_iris_column(feature) for feature in features]
    if not columns:
        raise ValueError("features must name at least one Iris measurement")
    for column in columns:
        if columns.count(column) > 1:
            raise ValueError(
                f"features names {IRIS_FEATURES[column]!r} twice; each measurement at most once"
            )
    data, target = _read_iris_csv()
    return Dataset(
        X=data[:, columns],
        labels=target,
        feature_names=tuple(f"{IRIS_FEATURES[c]} (cm)" for c in columns),
        label_names=IRIS_SPECIES,
    )


def iris_species_means(features=("petal width",)):
    r"""The mean of each Iris species in the chosen measurements: the reference to align a fit to.

    Row s is :math:`\bar{x}_s = \frac{1}{N_s} \sum_{i:\, y_i = s} x_i`, the mean of the
    :math:`N_s = 50` flowers of species s (setosa, versicolor, virginica), so that
    ``result.aligned_to(iris_species_means(features))`` numbers a fit's components 0, 1, 2
    after the species they sit on, and each species keeps the colour
    ``gmmlab.plotting.component_color(s)`` in every figure.

    Parameters
    ----------
    features : str, int, sequence of str or int, or None
        As in :func:`load_iris_features`: the measurements the fit was made on, in its order.

    Returns
    -------
    ndarray of shape (3, len(features))
        In centimetres, one row per species in the order of ``IRIS_SPECIES``.

    Raises
    ------
    TypeError, ValueError
        As :func:`load_iris_features`: a feature that is neither a name nor an index 0-3,
        an unknown or repeated one, or none.

    Examples
    --------
    >>> iris_species_means("petal width").round(3).tolist()
    [[0.246], [1.326], [2.026]]
    """
    iris = load_iris_features(features)
    return np.array([iris.X[iris.labels == s].mean(axis=0) for s in range(len(IRIS_SPECIES))])


def _read_iris_csv():
    """The 150 x 4 measurements and the species 0-2, read from scikit-learn's ``iris.csv``.

    The file scikit-learn's ``load_iris`` reads (same values, float64 and int64), read here
    without importing scikit-learn, which costs over a second of CPU in a fresh kernel.
    """
    import importlib.util
    import os

    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "load_iris_features needs scikit-learn's iris.csv: install scikit-learn"
        )
    path = os.path.join(spec.submodule_search_locations[0], "datasets", "data", "iris.csv")
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"load_iris_features needs scikit-learn's iris.csv, not found at {path}: "
            "reinstall scikit-learn"
        )
    # The first line is a header: "150,4,setosa,versicolor,virginica".
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    return table[:, :4].astype(np.float64), table[:, 4].astype(np.int64)


def _iris_column(feature):
    if isinstance(feature, (bool, np.bool_)) or not isinstance(feature, (str, numbers.Integral)):
        raise TypeError(
            f"features: each entry must be a measurement's name or its index 0-3, got {feature!r}"
        )
    if isinstance(feature, numbers.Integral):
        return ensure_int(feature, "features", 0, len(IRIS_FEATURES) - 1)
    name = feature.lower().replace("_", " ").removesuffix("(cm)").strip()
    if name in IRIS_FEATURES:
        return IRIS_FEATURES.index(name)
    known = ", ".join(repr(name) for name in IRIS_FEATURES)
    raise ValueError(f"features: unknown Iris measurement {feature!r}; choose from {known}")


def make_ellipsoidal_clusters(n_samples=600, n_components=4, n_features=2, seed=0):
    """Points from a random Gaussian mixture whose clusters look different.

    The components differ in shape (axis ratios), size (axis lengths),
    density (weights) and orientation (random rotations), and their centres
    are kept apart so that the clusters can be told apart by eye.

    Parameters
    ----------
    n_samples : int, default 600
        N, at least 1 (numpy integers too).
    n_components : int, default 4
        K, from 1 to 100.
    n_features : int, default 2
        D, from 1 to 100.
    seed : int >= 0, numpy.random.Generator or None, default 0

    Returns
    -------
    Dataset
        ``X``, ``labels`` (the generating component of each point) and
        ``params``, the true mixture.

    Raises
    ------
    TypeError
        If a count is not an integer, or ``seed`` is not one of the above.
    ValueError
        If a count is out of its range.

    Examples
    --------
    >>> data = make_ellipsoidal_clusters(300, n_components=3, seed=1)
    >>> data.X.shape, data.params.n_components
    ((300, 2), 3)
    """
    n_samples = ensure_int(n_samples, "n_samples", minimum=1)
    n_components = ensure_int(n_components, "n_components", minimum=1, maximum=100)
    n_features = ensure_int(n_features, "n_features", minimum=1, maximum=100)
    rng = ensure_seed(seed)
    means = _spread_out_means(n_components, n_features, rng)
    covariances = np.empty((n_components, n_features, n_features))
    for k in range(n_components):
        rotation, _ = np.linalg.qr(rng.standard_normal((n_features, n_features)))
        axis_lengths = rng.uniform(0.25, 1.4, size=n_features)
        covariances[k] = (rotation * axis_lengths**2) @ rotation.T
    weights = rng.dirichlet(np.full(n_components, 4.0))
    params = MixtureParams(weights, means, covariances)
    X, labels = params.sample(n_samples, seed=rng)
    return Dataset(
        X=X,
        labels=labels,
        feature_names=tuple(f"$x_{d + 1}$" for d in range(n_features)),
        label_names=tuple(f"component {k}" for k in range(n_components)),
        params=params,
    )


def _spread_out_means(n_components, n_features, rng, min_distance=3.5):
    """Centres drawn uniformly in a box, each at least min_distance from the others.

    When 10,000 draws in a row do not fit (many components in a small box), the
    box grows by half and the drawing goes on, so that it always ends.
    """
    half_width = 2.0 * n_components ** (1.0 / n_features) + 1.0
    means, misses = [], 0
    while len(means) < n_components:
        candidate = rng.uniform(-half_width, half_width, size=n_features)
        if all(np.linalg.norm(candidate - m) >= min_distance for m in means):
            means.append(candidate)
            misses = 0
        else:
            misses += 1
            if misses == 10_000:
                half_width, misses = 1.5 * half_width, 0
    return np.array(means)


def load_image_pixels(name="china.jpg", step=1):
    """The pixels of one of scikit-learn's bundled photos, as RGB points.

    Parameters
    ----------
    name : {"china.jpg", "flower.jpg"}, default "china.jpg"
    step : int, default 1
        Keep every ``step``-th row and column (2 gives a quarter of the pixels);
        from 1 to 400.

    Returns
    -------
    pixels : ndarray of shape (H * W, 3)
        Red, green and blue in [0, 1], one row per pixel.
    shape : tuple of int
        (H, W, 3), to reshape the pixels back into an image.

    Raises
    ------
    TypeError
        If ``name`` is not a string or ``step`` not an integer.
    ValueError
        If ``name`` is another photo or ``step`` is out of range.
    """
    from sklearn.datasets import load_sample_image

    if not isinstance(name, str):
        raise TypeError(f"name must be a string, 'china.jpg' or 'flower.jpg', got {name!r}")
    if name not in ("china.jpg", "flower.jpg"):
        raise ValueError(f"name must be 'china.jpg' or 'flower.jpg', got {name!r}")
    step = ensure_int(step, "step", minimum=1, maximum=400)
    image = load_sample_image(name)[::step, ::step]
    return image.reshape(-1, 3) / 255.0, image.shape
