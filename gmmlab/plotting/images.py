r"""Images: a grid of small pictures, such as digits sampled from a mixture.

Lesson 11 (sampled digits) and the lesson on mixtures beyond Gaussians.
"""

from __future__ import annotations

import numpy as np

from .._validation import (
    ensure_ax,
    ensure_float,
    ensure_int,
)
from ._arrays import finite_array


def plot_image_grid(ax, images, image_shape, n_columns=10, vmin=None, vmax=None, cmap="binary"):
    """Small images (such as 8 x 8 digits) tiled in rows on one axes, as one picture.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    images : array-like of shape (M, H * W)
        One flattened image per row, finite (e.g. ``load_digits().data``).
    image_shape : pair of int
        (H, W), with H * W the length of each row.
    n_columns : int, default 10
        Images per row of the grid (at least 1).
    vmin, vmax : float, optional
        The values shown as the lightest and darkest (default: the images' range); give
        the same to two grids to compare them.
    cmap : str or matplotlib colormap, default "binary"

    Returns
    -------
    matplotlib.image.AxesImage

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.
    """
    ensure_ax(ax)
    images = finite_array(images, "images", 2, "2-D (M images, H * W pixels each)")
    if isinstance(image_shape, (str, bytes)) or not hasattr(image_shape, "__len__"):
        raise TypeError(f"image_shape must be a pair (H, W), got {image_shape!r}")
    if len(image_shape) != 2:
        raise ValueError(f"image_shape must be a pair (H, W), got {image_shape!r}")
    height, width = (ensure_int(n, "image_shape", minimum=1) for n in image_shape)
    if height * width != images.shape[1]:
        raise ValueError(
            f"image_shape {height} x {width} = {height * width} pixels, but each image has "
            f"{images.shape[1]}"
        )
    n_columns = ensure_int(n_columns, "n_columns", minimum=1)
    low = float(images.min()) if vmin is None else ensure_float(vmin, "vmin")
    high = float(images.max()) if vmax is None else ensure_float(vmax, "vmax")
    if not low < high:
        raise ValueError(f"vmin must be below vmax, got {low} and {high}")
    n_rows = -(-images.shape[0] // n_columns)
    gap = 1
    mosaic = np.full((n_rows * (height + gap) - gap, n_columns * (width + gap) - gap), np.nan)
    for i, image in enumerate(images):
        row, column = divmod(i, n_columns)
        top, left = row * (height + gap), column * (width + gap)
        mosaic[top : top + height, left : left + width] = image.reshape(height, width)
    ax.set_axis_off()
    return ax.imshow(mosaic, cmap=cmap, vmin=low, vmax=high, interpolation="nearest")
