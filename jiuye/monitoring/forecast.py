"""Forecasts of a monthly rate series with prediction intervals, and their backtest (pure: statsmodels).

Model: the seasonal ARIMA(0,1,1)(0,1,1)12 ("airline" model of Box and Jenkins) fitted by statsmodels'
SARIMAX. Why this one: monthly labour-market rates carry a trend that drifts and a seasonal pattern that
changes slowly (graduates in summer, migrant workers after the Spring Festival); the airline model handles
both with two parameters, stays stable on ten years (120 months) of data, and gives analytic prediction
intervals that widen with the horizon. With fewer than 36 months (three seasons) a non-seasonal
ARIMA(0,1,1) (simple exponential smoothing with its intervals) is used instead; below 12 months there is
no forecast (``TooShort``, with the reason in Chinese).

Backtest: rolling origin over the last 12 months. The parameters are estimated once on the data before the
first origin (no look-ahead), then for each origin the model is filtered on the data up to it and
forecasts up to six months ahead; the errors against what happened give the MAE (percentage points), the
MAPE (%) and the share of actual values inside the 80% and 95% intervals (coverage).
"""
from __future__ import annotations

import datetime
import math
import warnings
from dataclasses import dataclass, field

import numpy as np

HORIZON = 6
MIN_MONTHS = 12
SEASONAL_MONTHS = 36
BACKTEST_ORIGINS = 12
Z80 = 1.2815515655446004
Z95 = 1.959963984540054
SEASONAL_NAME = "SARIMA(0,1,1)(0,1,1)12"
SIMPLE_NAME = "ARIMA(0,1,1)"


class TooShort(ValueError):
    """The series is too short to forecast; the message says how long it is and what is needed."""


@dataclass
class Forecast:
    model_name: str
    observations: int
    points: list[dict]  # month (YYYY-MM), mean, se, lo80, hi80, lo95, hi95
    backtest: dict = field(default_factory=dict)


def _add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def _model(values, seasonal: bool):
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SARIMAX(np.asarray(values, dtype=float), order=(0, 1, 1),
                       seasonal_order=(0, 1, 1, 12) if seasonal else (0, 0, 0, 0),
                       enforce_stationarity=True, enforce_invertibility=True,
                       initialization="approximate_diffuse")  # same forecasts as the exact diffuse start, ten times faster


def _fit(values, seasonal: bool, start=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _model(values, seasonal).fit(start_params=start, disp=False, maxiter=200)


def _predict(result, steps: int) -> tuple[np.ndarray, np.ndarray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prediction = result.get_forecast(steps)
    mean = np.asarray(prediction.predicted_mean, dtype=float)
    se = np.sqrt(np.maximum(np.asarray(prediction.var_pred_mean, dtype=float), 0.0))
    return mean, se


def _points(mean, se, last_month: datetime.date) -> list[dict]:
    out = []
    for i, (m, s) in enumerate(zip(mean, se), start=1):
        m = max(float(m), 0.0)  # a rate is never negative
        s = float(s)
        out.append({
            "month": _add_months(last_month, i).strftime("%Y-%m"), "mean": round(m, 4), "se": round(s, 4),
            "lo80": round(max(m - Z80 * s, 0.0), 4), "hi80": round(m + Z80 * s, 4),
            "lo95": round(max(m - Z95 * s, 0.0), 4), "hi95": round(m + Z95 * s, 4),
        })
    return out


def check_length(n: int) -> None:
    if n < MIN_MONTHS:
        raise TooShort(f"仅有{n}个月的数据，至少需要连续{MIN_MONTHS}个月才能预测")


def forecast(values: list[float], last_month: datetime.date, *, horizon: int = HORIZON,
             backtest_origins: int = BACKTEST_ORIGINS) -> Forecast:
    """The next ``horizon`` months after ``last_month`` of the monthly series ``values`` (oldest first, no
    gaps), with 80% and 95% intervals and the rolling-origin backtest."""
    values = [float(v) for v in values]
    n = len(values)
    check_length(n)
    seasonal = n >= SEASONAL_MONTHS
    checked, trained = _backtest(values, origins=backtest_origins, horizon=horizon)
    start = trained.params if trained is not None and (n - backtest_origins >= SEASONAL_MONTHS) == seasonal else None
    result = _fit(values, seasonal, start)
    mean, se = _predict(result, horizon)
    return Forecast(model_name=SEASONAL_NAME if seasonal else SIMPLE_NAME, observations=n,
                    points=_points(mean, se, last_month), backtest=checked)


def backtest(values: list[float], *, origins: int = BACKTEST_ORIGINS, horizon: int = HORIZON) -> dict:
    """Rolling-origin errors over the last ``origins`` months (see the module text); {} when the series is
    too short to leave ``MIN_MONTHS`` before the first origin."""
    return _backtest(values, origins=origins, horizon=horizon)[0]


def _backtest(values, *, origins: int, horizon: int):
    values = [float(v) for v in values]
    n = len(values)
    first = n - origins
    if first < MIN_MONTHS:
        return {}, None
    seasonal = first >= SEASONAL_MONTHS
    trained = _fit(values[:first], seasonal)
    errors, apes, in80, in95 = [], [], 0, 0
    by_horizon: dict[int, list[float]] = {}
    for origin in range(first, n):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = _model(values[:origin], seasonal).filter(trained.params)
        steps = min(horizon, n - origin)
        mean, se = _predict(result, steps)
        for h in range(steps):
            actual = values[origin + h]
            m = max(float(mean[h]), 0.0)
            err = abs(actual - m)
            errors.append(err)
            by_horizon.setdefault(h + 1, []).append(err)
            if actual:
                apes.append(err / abs(actual))
            in80 += abs(actual - m) <= Z80 * se[h]
            in95 += abs(actual - m) <= Z95 * se[h]
    count = len(errors)
    return {
        "origins": origins, "horizon": horizon, "forecasts": count, "model": SEASONAL_NAME if seasonal else SIMPLE_NAME,
        "mae": round(float(np.mean(errors)), 4), "mape": round(float(np.mean(apes)) * 100, 2) if apes else None,
        "coverage80": round(float(in80) / count, 3), "coverage95": round(float(in95) / count, 3),
        "mae_by_horizon": {str(h): round(float(np.mean(v)), 4) for h, v in sorted(by_horizon.items())},
    }, trained


def probability_over(point: dict, limit: float) -> float:
    """P(rate >= limit) in a month under the forecast's normal predictive distribution."""
    mean, se = point["mean"], point["se"]
    if se <= 0:
        return 1.0 if mean >= limit else 0.0
    return 0.5 * math.erfc((limit - mean) / (se * math.sqrt(2)))


def crossing(points: list[dict], limit: float | None) -> dict | None:
    """The first forecast month whose 80% interval reaches ``limit`` and the level of the risk over the
    horizon: red when even the 80% lower bound is over the limit (P ≥ 90%), orange when the mean is
    (P ≥ 50%), yellow when the 80% upper bound is (P ≥ 10%). None: no month at risk."""
    if limit is None or not points:
        return None
    limit = float(limit)
    first, level = None, None
    rank = {"yellow": 1, "orange": 2, "red": 3}
    for p in points:
        if p["lo80"] >= limit:
            lv = "red"
        elif p["mean"] >= limit:
            lv = "orange"
        elif p["hi80"] >= limit:
            lv = "yellow"
        else:
            continue
        if first is None:
            first = p
        if level is None or rank[lv] > rank[level]:
            level = lv
    if first is None:
        return None
    return {"month": first["month"], "mean": first["mean"], "lo80": first["lo80"], "hi80": first["hi80"],
            "lo95": first["lo95"], "hi95": first["hi95"], "probability": round(probability_over(first, limit), 3),
            "limit": limit, "level": level}
