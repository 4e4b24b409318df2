"""Logistic regression on sparse hashed features, in numpy only: deterministic, no scikit-learn.

Rows are lists of feature indexes (each feature counts once, value 1). Training is full-batch
gradient descent with Adam and L2, in float64, with no randomness at all, so the same rows give
the same weights bit for bit on the same platform.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


class SparseRows:
    """Rows of feature indexes packed for fast products (COO: row id and column per entry)."""

    def __init__(self, rows: Sequence[Sequence[int]], dim: int) -> None:
        self.dim = dim
        self.n = len(rows)
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        self.row_ids = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
        flat = [i for r in rows for i in r]
        self.cols = np.asarray(flat, dtype=np.int64) if flat else np.zeros(0, dtype=np.int64)

    def dot(self, weights: FloatArray) -> FloatArray:
        """X @ weights."""
        out: FloatArray = np.bincount(self.row_ids, weights=weights[self.cols], minlength=self.n).astype(np.float64)
        return out

    def tdot(self, values: FloatArray) -> FloatArray:
        """X.T @ values."""
        out: FloatArray = np.bincount(self.cols, weights=values[self.row_ids], minlength=self.dim).astype(np.float64)
        return out


def sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
    return out


def fit(
    x: SparseRows,
    y: Sequence[int] | npt.NDArray[np.int64],
    *,
    l2: float = 1e-4,
    epochs: int = 150,
    rate: float = 0.05,
    balance: bool = True,
    row_weights: Sequence[float] | None = None,
) -> tuple[FloatArray, float]:
    """Weights and bias of a logistic regression. `balance` weighs both classes equally;
    `row_weights` weighs rows (before balancing)."""
    labels = np.asarray(y, dtype=np.float64)
    rw = np.ones(len(labels)) if row_weights is None else np.asarray(row_weights, dtype=np.float64)
    pos = float((rw * labels).sum())
    neg = float((rw * (1 - labels)).sum())
    if balance and pos and neg:
        sample = rw * np.where(labels > 0, 0.5 / pos, 0.5 / neg)
    else:
        sample = rw / max(1.0, float(rw.sum()))
    w = np.zeros(x.dim)
    b = 0.0
    m_w = np.zeros(x.dim)
    v_w = np.zeros(x.dim)
    m_b = v_b = 0.0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        p = sigmoid(x.dot(w) + b)
        err = (p - labels) * sample
        g_w = x.tdot(err) + l2 * w
        g_b = float(err.sum())
        m_w = beta1 * m_w + (1 - beta1) * g_w
        v_w = beta2 * v_w + (1 - beta2) * g_w * g_w
        m_b = beta1 * m_b + (1 - beta1) * g_b
        v_b = beta2 * v_b + (1 - beta2) * g_b * g_b
        c1 = 1 - beta1**step
        c2 = 1 - beta2**step
        w -= rate * (m_w / c1) / (np.sqrt(v_w / c2) + eps)
        b -= rate * (m_b / c1) / (np.sqrt(v_b / c2) + eps)
    return w, b


def fit_dense(
    x: FloatArray, y: Sequence[int], *, l2: float = 1e-3, epochs: int = 2000, rate: float = 0.05
) -> FloatArray:
    """A small dense logistic regression (calibration): weights with the bias last."""
    labels = np.asarray(y, dtype=np.float64)
    xb = np.hstack([x, np.ones((x.shape[0], 1))])
    w = np.zeros(xb.shape[1])
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    n = max(1, len(labels))
    for step in range(1, epochs + 1):
        p = sigmoid(xb @ w)
        g = xb.T @ (p - labels) / n + l2 * np.r_[w[:-1], 0.0]
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def threshold_at_rate(negative_scores: Sequence[float], rate: float) -> float:
    """The smallest score that flags at most `rate` of the negatives (scores >= it are flagged)."""
    scores = np.sort(np.asarray(negative_scores, dtype=np.float64))[::-1]
    allowed = int(np.floor(rate * len(scores)))
    if allowed >= len(scores):
        return float(scores[-1]) if len(scores) else 0.5
    # flag strictly above the (allowed+1)-th highest negative
    return float(np.nextafter(scores[allowed], np.inf))
