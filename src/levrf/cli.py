"""The ``levrf`` command line: ``demo``, ``fit``, ``predict``, ``approx`` and ``equivalence``.

Every command reports bad input as one line ``levrf: error: ...`` on stderr and
exits with status 2; library errors (``ValueError``/``TypeError`` raised by
levrf) are caught here and reported the same way.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from contextlib import contextmanager

import numpy as np

#: ``--max-rows`` may not exceed this (an n x n Gram, its Cholesky and eigenvalues)
HARD_MAX_ROWS = 10_000
MODEL_FORMAT = "levrf-model"


class CLIError(Exception):
    """Bad input: printed as ``levrf: error: <message>``, exit status 2."""


# ------------------------------------------------------------------ parsing
class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (``levrf: error: ...``) instead of usage + message."""

    def error(self, message):
        self.exit(2, f"levrf: error: {self.prog}: {message} (see '{self.prog} --help')\n")


def _positive_float(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not np.isfinite(v) or v <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite positive number, got {text!r}")
    return v


def _int_at_least(minimum: int, what: str):
    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            v = None
        if v is None or v < minimum:
            raise argparse.ArgumentTypeError(f"expected a {what} integer, got {text!r}")
        return v

    return parse


_positive_int = _int_at_least(1, "positive")
_nonneg_int = _int_at_least(0, "non-negative")


def _list_of(parse_one, what: str):
    """``"64,128,256"`` -> ``[64, 128, 256]``."""

    def parse(text: str) -> list:
        parts = [p for p in text.replace(" ", "").split(",") if p]
        if not parts:
            raise argparse.ArgumentTypeError(f"expected a comma-separated list of {what} integers, got {text!r}")
        return [parse_one(p) for p in parts]

    return parse


_int_list = _list_of(_positive_int, "positive")
_int_list_nonneg = _list_of(_nonneg_int, "non-negative")


def _name_list(choices):
    def parse(text: str) -> list:
        names = [p for p in text.replace(" ", "").split(",") if p]
        bad = [n for n in names if n not in choices]
        if bad or not names:
            raise argparse.ArgumentTypeError(f"unknown name(s) {bad or text!r}; choose from {', '.join(choices)}")
        return names

    return parse


def _kernel_param(text: str):
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE (e.g. bandwidth=2.0), got {text!r}")
    try:
        return key, float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number after '{key}=', got {value!r}") from None


# ---------------------------------------------------------------- data I/O
DATA_HELP = """\
input formats (chosen by the file extension):
  .csv              header row; --target names a column; every other column is a feature
  .parquet, .pq     like CSV (needs pyarrow: pip install pyarrow)
  .npy              a 2-D numeric array; --target is a column index (negative counts from
                    the end, e.g. -1 for the last column); every other column is a feature
  .npz              arrays named X (features, 2-D) and y (target); --target names the
                    target array instead of y
All feature values must be numeric and finite: rows with NaN are refused (drop or
impute them first)."""


class Table:
    """Features (n, d) with their names, and an optional target (n,)."""

    def __init__(self, X, names, y=None, target=None):
        self.X, self.names, self.y, self.target = X, list(names), y, target


def _read_frame(path: str):
    import pandas as pd

    ext = os.path.splitext(path)[1].lower()
    if ext == ".csv":
        try:
            return pd.read_csv(path)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise CLIError(f"cannot read {path} as CSV: {str(exc).splitlines()[0]}") from None
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise CLIError(f"reading Parquet ({path}) needs pyarrow: pip install pyarrow (or use CSV/.npy)") from None
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises its own error types
        raise CLIError(f"cannot read {path} as Parquet: {str(exc).splitlines()[0]}") from None


def _check_numeric(X: np.ndarray, names, path: str) -> np.ndarray:
    bad_rows = ~np.all(np.isfinite(X), axis=1)
    if bad_rows.any():
        rows = np.flatnonzero(bad_rows)
        cols = [names[j] for j in np.flatnonzero(~np.all(np.isfinite(X), axis=0))]
        raise CLIError(
            f"{path}: {rows.size} row(s) have NaN or infinite values (first: row {rows[0]}, columns "
            f"{', '.join(map(str, cols[:5]))}); drop or impute them first"
        )
    return X


def _frame_to_array(df, cols, path):
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    non_numeric = [c for c in cols if not (is_numeric_dtype(df[c].dtype) or is_bool_dtype(df[c].dtype))]
    if non_numeric:
        ex = df[non_numeric[0]].dropna()
        sample = f" (e.g. {ex.iloc[0]!r})" if len(ex) else ""
        raise CLIError(
            f"{path}: column(s) {', '.join(map(repr, non_numeric[:5]))} are not numeric{sample}; "
            f"encode them as numbers or drop them"
        )
    return df[cols].to_numpy(dtype=np.float64)


def load_table(path: str, target=None, *, need_target: bool = False, features=None) -> Table:
    """Read DATA as described in ``DATA_HELP``; ``features`` selects (and orders) the feature columns."""
    if not os.path.exists(path):
        raise CLIError(f"no such file: {path}")
    if os.path.isdir(path):
        raise CLIError(f"{path} is a directory, not a data file")
    ext = os.path.splitext(path)[1].lower()
    if ext in (".npy", ".npz"):
        return _load_numpy(path, ext, target, need_target, features)
    if ext not in (".csv", ".parquet", ".pq"):
        raise CLIError(f"{path}: unknown file type {ext or '(none)'!r}; use .csv, .parquet, .npy or .npz")
    df = _read_frame(path)
    if df.shape[0] == 0 or df.shape[1] == 0:
        raise CLIError(f"{path} has no data rows")
    if need_target and target is None:
        raise CLIError("--target is required: name the column to predict")
    if target is not None and target not in df.columns:
        raise CLIError(f"{path}: no column {target!r}; columns are {', '.join(map(str, df.columns[:20]))}")
    if features is None:
        cols = [c for c in df.columns if c != target]
    else:
        missing = [c for c in features if c not in df.columns]
        if missing:
            raise CLIError(f"{path}: the model needs column(s) {', '.join(map(repr, missing))}, which are missing")
        cols = list(features)
    if not cols:
        raise CLIError(f"{path}: no feature columns besides the target {target!r}")
    X = _check_numeric(_frame_to_array(df, cols, path), cols, path)
    y = None
    if target is not None:
        y = _check_numeric(_frame_to_array(df, [target], path), [target], path)[:, 0]
    return Table(X, [str(c) for c in cols], y, target)


def _load_numpy(path, ext, target, need_target, features):
    try:
        data = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise CLIError(f"cannot read {path} as {ext}: {str(exc).splitlines()[0]}") from None
    if ext == ".npz":
        with data:
            if "X" not in data.files:
                raise CLIError(f"{path}: no array named X (it has {', '.join(data.files) or 'none'})")
            X = data["X"]
            tname = "y" if target is None else target
            y = None
            if tname in data.files:
                y = data[tname]
            elif need_target or target is not None:
                raise CLIError(f"{path}: no target array named {tname!r} (it has {', '.join(data.files)})")
        if X.ndim != 2:
            raise CLIError(f"{path}: X must be 2-D (rows x features), got shape {X.shape}")
        X = _as_float(X, path, "X")
        names = [f"x{j}" for j in range(X.shape[1])]
        if y is not None:
            y = _as_float(np.asarray(y), path, tname)
            if y.ndim == 2 and y.shape[1] == 1:
                y = y[:, 0]
            if y.ndim != 1 or y.shape[0] != X.shape[0]:
                raise CLIError(f"{path}: {tname} must have shape ({X.shape[0]},), got {y.shape}")
            y = _check_numeric(y[:, None], [tname], path)[:, 0]
        if features is not None and len(features) != X.shape[1]:
            raise CLIError(f"{path}: X has {X.shape[1]} columns but the model was fitted on {len(features)}")
        return Table(_check_numeric(X, names, path), names, y, tname if y is not None else None)
    A = data
    if A.ndim != 2 or A.shape[0] == 0:
        raise CLIError(f"{path}: expected a non-empty 2-D array (rows x columns), got shape {A.shape}")
    A = _as_float(A, path, "array")
    d = A.shape[1]
    if need_target and target is None:
        raise CLIError("--target is required for .npy: give the target's column index (e.g. -1)")
    keep = list(range(d))
    y, tname = None, None
    if target is not None:
        try:
            t = int(target)
        except ValueError:
            raise CLIError(f"--target for .npy must be a column index (e.g. -1), got {target!r}") from None
        if not -d <= t < d:
            raise CLIError(f"--target {t} is out of range for {path} with {d} columns")
        t %= d
        y, tname = A[:, t], f"x{t}"
        keep.remove(t)
    names = [f"x{j}" for j in keep]
    if features is not None:
        if len(features) == d and target is None:
            keep, names = list(range(d)), [f"x{j}" for j in range(d)]
        missing = [f for f in features if f not in names]
        if missing or len(features) != len(names):
            raise CLIError(
                f"{path}: the model was fitted on {len(features)} columns ({', '.join(features[:6])}...); "
                f"this array gives {len(names)} feature columns"
            )
    X = _check_numeric(A[:, keep], names, path)
    if y is not None:
        y = _check_numeric(y[:, None], [tname], path)[:, 0]
    return Table(X, names, y, tname)


def _as_float(A, path, what):
    if not (np.issubdtype(A.dtype, np.number) or A.dtype == bool):
        raise CLIError(f"{path}: {what} is not numeric (dtype {A.dtype})")
    return np.asarray(A, dtype=np.float64)


# ------------------------------------------------------------------- models
def _version_key(v: str):
    parts = str(v).split(".")
    return tuple(parts[:2])


def save_model(model, path: str, table: Table, meta: dict) -> None:
    import joblib

    from . import __version__

    payload = {
        "format": MODEL_FORMAT,
        "levrf_version": __version__,
        "features": table.names,
        "target": table.target,
        "model": model,
        **meta,
    }
    try:
        joblib.dump(payload, path)
    except OSError as exc:
        raise CLIError(f"cannot write the model to {path}: {exc.strerror or exc}") from None


def load_model(path: str) -> dict:
    """Load a model saved by ``levrf fit`` (only load files you trust: joblib unpickles)."""
    import joblib

    from . import __version__

    if not os.path.exists(path):
        raise CLIError(f"no such model file: {path}")
    try:
        payload = joblib.load(path)
    except Exception:  # anything that is not a joblib pickle
        raise CLIError(f"{path} is not a levrf model (save one with 'levrf fit ... --model {path}')") from None
    if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
        raise CLIError(f"{path} is not a levrf model (save one with 'levrf fit ... --model {path}')")
    saved = payload.get("levrf_version", "?")
    if _version_key(saved) != _version_key(__version__):
        raise CLIError(
            f"{path} was saved by levrf {saved}, this is levrf {__version__}; models only load in the "
            f"same major.minor version: refit it with this version, or install levrf=={saved}"
        )
    return payload


def _write_predictions(pred: np.ndarray, path: str, name: str) -> None:
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext == ".npy":
            np.save(path, pred)
        elif ext in (".csv", ""):
            import pandas as pd

            cols = [name] if pred.ndim == 1 else [f"{name}_{k}" for k in range(pred.shape[1])]
            pd.DataFrame(pred.reshape(len(pred), -1), columns=cols).to_csv(path, index=False)
        else:
            raise CLIError(f"--out {path}: write .csv or .npy")
    except OSError as exc:
        raise CLIError(f"cannot write {path}: {exc.strerror or exc}") from None


# ----------------------------------------------------------------- commands
def _progress(args) -> bool:
    return not getattr(args, "no_progress", False)


def cmd_fit(args) -> int:
    from . import RandomFeatureRidge

    table = load_table(args.data, args.target, need_target=True)
    kernel_params = dict(args.kernel_param) or None
    alpha = args.alpha[0] if len(args.alpha) == 1 else list(args.alpha)
    model = RandomFeatureRidge(
        args.kernel, args.n_components, sampler=args.sampler, alpha=alpha,
        kernel_params=kernel_params, random_state=args.seed, progress=_progress(args),
    )
    model.fit(table.X, table.y)
    save_model(model, args.model, table, {
        "kernel": args.kernel, "sampler": args.sampler, "kernel_params": kernel_params, "seed": args.seed,
    })
    note = f" (chosen by leave-one-out CV from {len(args.alpha)})" if len(args.alpha) > 1 else ""
    print(
        f"fitted RandomFeatureRidge on {table.X.shape[0]} rows x {table.X.shape[1]} features "
        f"(kernel {args.kernel}, sampler {args.sampler}, m = {args.n_components}, alpha = {model.alpha_:g}{note}, "
        f"solver {model.solver_}); saved to {args.model}"
    )
    return 0


def cmd_predict(args) -> int:
    payload = load_model(args.model)
    table = load_table(args.data, None, features=payload["features"])
    pred = payload["model"].predict(table.X)
    _write_predictions(np.asarray(pred), args.out, payload.get("target") or "prediction")
    print(f"wrote {len(pred)} predictions to {args.out}")
    return 0


def _subsample(table: Table, max_rows: int, seed: int):
    n = table.X.shape[0]
    if max_rows > HARD_MAX_ROWS:
        raise CLIError(f"--max-rows {max_rows} is above the limit {HARD_MAX_ROWS} (exact n x n Grams)")
    if n <= max_rows:
        return table.X, table.y, None
    rows = np.sort(np.random.default_rng(seed).choice(n, size=max_rows, replace=False))
    y = None if table.y is None else table.y[rows]
    return table.X[rows], y, f"uniform random subsample of {max_rows} of {n} rows (seed {seed}, --max-rows)"


def cmd_approx(args) -> int:
    from .report import approx_report

    table = load_table(args.data, args.target)
    X, _, note = _subsample(table, args.max_rows, args.seed)
    path = approx_report(
        X, args.out, kernel=args.kernel, kernel_params=dict(args.kernel_param) or None, alpha=args.alpha,
        n_components=args.n_components, samplers=args.samplers, repeats=args.repeats, seed=args.seed,
        source=args.data, subsample_note=note, progress=_progress(args),
    )
    print(f"report written to {path}")
    return 0


def cmd_equivalence(args) -> int:
    from .report import equivalence_report

    if args.data is None:
        if args.target is not None:
            raise CLIError("--target needs DATA (without DATA the digits data set is used)")
        data = None
    else:
        table = load_table(args.data, args.target, need_target=True)
        data = (table.X, table.y, f"{args.data} (target {table.target})")
    path = equivalence_report(
        data, args.out, widths=args.widths, seeds=args.seeds, alpha=args.alpha, steps=args.steps,
        n_train=args.n_train, n_test=args.n_test, seed=args.seed, progress=_progress(args),
    )
    print(f"report written to {path}")
    return 0


def cmd_demo(args) -> int:
    from .report import run_demo

    run_demo(args.out, quick=args.quick, seed=args.seed, progress=_progress(args), threads=args.threads)
    return 0


# ------------------------------------------------------------------- parser
def _add_common(p, seed=True, threads=None):
    if seed:
        p.add_argument("--seed", type=_nonneg_int, default=0, help="random seed; same seed, same output (default 0)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.add_argument("--threads", type=_positive_int, default=threads, metavar="N",
                   help="BLAS and torch threads (default " + (f"{threads}: small matrices, and idle-spinning "
                        "threads lose badly on a machine shared with other work)" if threads else
                        "the libraries' own choice)"))


@contextmanager
def _thread_limit(n):
    """Limit BLAS/OpenMP (threadpoolctl) and torch to ``n`` threads for the block; no-op for None."""
    if n is None:
        yield
        return
    import scipy.linalg  # noqa: F401  (load every BLAS before limiting them)
    import sklearn  # noqa: F401
    from threadpoolctl import threadpool_limits

    try:
        import torch
    except ImportError:
        torch = None
    old = torch.get_num_threads() if torch is not None else None
    with threadpool_limits(limits=n):
        if torch is not None:
            torch.set_num_threads(n)
        try:
            yield
        finally:
            if torch is not None:
                torch.set_num_threads(old)


def _sub(sub, name, help, description, epilog, data=True):
    """A subcommand whose epilog is its examples, after the input formats when it reads DATA."""
    epilog = textwrap.dedent(epilog).strip("\n")
    return sub.add_parser(
        name, help=help, description=description, epilog=(DATA_HELP + "\n\n" if data else "") + epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    from .kernels import KERNEL_NAMES
    from .samplers import SAMPLERS

    kernels = [k for k in KERNEL_NAMES if k != "rbf"]
    samplers = list(SAMPLERS)
    p = _Parser(
        prog="levrf",
        description="Leverage-score sampling of random features: kernel ridge regression and neural tangent kernels.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=textwrap.dedent("""\
            examples:
              levrf demo --quick                 # the whole story on digits in about a minute
              levrf fit train.csv --target price --model model.joblib
              levrf predict model.joblib test.csv --out pred.csv
              levrf approx train.csv --target price --n-components 64,128,256
              levrf equivalence --widths 64,256,1024
            run 'levrf COMMAND --help' for each command's options."""),
    )
    from . import __version__

    p.add_argument("--version", action="version", version=f"levrf {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    d = _sub(sub, "demo", "run the main job on built-in data (scikit-learn's digits) and write a report",
             "Run the paper's story end to end on scikit-learn's digits (no download) and write a\n"
             "report folder: report.md with tables and PNG plots of (a) the statistical dimension,\n"
             "(b) the spectral error of every sampler with the theorem's bound, (c) kernel ridge test\n"
             "error against the number of features, (d) the network-vs-NTK gap against width and\n"
             "(e) prediction trajectories of a trained network against NTK ridge regression.",
             """\
             examples:
               levrf demo                        # full version, several minutes on 2 cores
               levrf demo --quick --out /tmp/r   # small n, few widths and seeds: about a minute
               levrf demo --seed 3               # another draw; same seed, same report
             """, data=False)
    d.add_argument("--out", default="levrf-report", help="report folder (default levrf-report/)")
    d.add_argument("--quick", action="store_true", help="small n, few widths, few seeds (about a minute)")
    _add_common(d, threads=1)
    d.set_defaults(func=cmd_demo)

    f = _sub(sub, "fit", "fit a random-feature ridge regression to a data file and save it",
             "Fit levrf.RandomFeatureRidge to DATA and save it (with joblib) to --model.\n"
             "With several --alpha values the one with the smallest exact leave-one-out error is kept.",
             """\
             examples:
               levrf fit train.csv --target price --model model.joblib
               levrf fit train.csv --target price --kernel ntk --sampler leverage \\
                   --n-components 512 --alpha 0.01 0.1 1 --model model.joblib
               levrf fit data.npy --target -1 --kernel gaussian --kernel-param bandwidth=2 --model m.joblib
               levrf fit data.npz --model m.joblib          # arrays X and y
             """)
    f.add_argument("data", metavar="DATA", help="training data (.csv, .parquet, .npy, .npz)")
    f.add_argument("--target", metavar="COL", help="target column name (CSV/Parquet), index (.npy) or array (.npz)")
    f.add_argument("--kernel", choices=kernels, default="gaussian", help="kernel (default gaussian)")
    f.add_argument("--kernel-param", type=_kernel_param, action="append", default=[], metavar="NAME=VALUE",
                   help="kernel parameter, e.g. bandwidth=2.0 (repeatable)")
    f.add_argument("--sampler", choices=samplers, default="classical", help="feature sampler (default classical)")
    f.add_argument("--n-components", type=_positive_int, default=500, metavar="M",
                   help="number of sampled weights m (default 500)")
    f.add_argument("--alpha", type=_positive_float, nargs="+", default=[1.0], metavar="A",
                   help="ridge regularization; several values: choose by exact leave-one-out CV (default 1.0)")
    f.add_argument("--model", required=True, metavar="OUT", help="where to save the fitted model")
    _add_common(f)
    f.set_defaults(func=cmd_fit)

    r = _sub(sub, "predict", "predict with a model saved by 'levrf fit'",
             "Predict with a model saved by 'levrf fit'. DATA needs the model's feature columns\n"
             "(other columns, e.g. the target, are ignored). Only load model files you trust.",
             """\
             examples:
               levrf predict model.joblib test.csv --out pred.csv
               levrf predict model.joblib test.npy --out pred.npy
             """)
    r.add_argument("model", metavar="MODEL", help="a file written by 'levrf fit --model'")
    r.add_argument("data", metavar="DATA", help="data to predict (.csv, .parquet, .npy, .npz)")
    r.add_argument("--out", required=True, metavar="PRED", help="predictions file (.csv or .npy)")
    r.add_argument("--no-progress", action="store_true", help=argparse.SUPPRESS)
    r.add_argument("--threads", type=_positive_int, default=None, metavar="N",
                   help="BLAS threads (default: the libraries' own choice)")
    r.set_defaults(func=cmd_predict)

    a = _sub(sub, "approx", "spectral error of every sampler against the exact Gram, on your data",
             "Measure eps(Z) = max |eig((K + alpha I)^-1/2 (Z Z^T - K) (K + alpha I)^-1/2)| for each\n"
             "sampler and number of features, against the exact Gram K of DATA (MATH.md 4), and\n"
             "write approx.md, approx.csv and approx.png to --out. Samplers a kernel refuses are\n"
             "skipped and named. Above --max-rows rows a uniform random subsample is used.",
             """\
             examples:
               levrf approx train.csv --target price --kernel gaussian --kernel-param bandwidth=2
               levrf approx X.npy --kernel ntk --alpha 0.1 --n-components 32,128,512 \\
                   --samplers classical,leverage --out approx-report
             """)
    a.add_argument("data", metavar="DATA", help="data (.csv, .parquet, .npy, .npz)")
    a.add_argument("--target", metavar="COL", help="a column to leave out of the features (optional)")
    a.add_argument("--kernel", choices=kernels, default="gaussian", help="kernel (default gaussian)")
    a.add_argument("--kernel-param", type=_kernel_param, action="append", default=[], metavar="NAME=VALUE",
                   help="kernel parameter, e.g. bandwidth=2.0 (repeatable)")
    a.add_argument("--alpha", type=_positive_float, default=0.1, metavar="A", help="regularization (default 0.1)")
    a.add_argument("--n-components", type=_int_list, default=[64, 128, 256, 512], metavar="M1,M2,...",
                   help="numbers of features (default 64,128,256,512)")
    a.add_argument("--samplers", type=_name_list(samplers), default=samplers, metavar="S1,S2,...",
                   help=f"samplers (default all: {','.join(samplers)})")
    a.add_argument("--repeats", type=_positive_int, default=2, help="draws per point (default 2)")
    a.add_argument("--max-rows", type=_positive_int, default=2000,
                   help=f"subsample to this many rows (default 2000, at most {HARD_MAX_ROWS})")
    a.add_argument("--out", default="levrf-approx", help="report folder (default levrf-approx/)")
    _add_common(a)
    a.set_defaults(func=cmd_approx)

    e = _sub(sub, "equivalence", "trained two-layer ReLU networks against NTK ridge regression, by width",
             "Train two-layer ReLU networks (first layer trained, symmetric init) of several widths\n"
             "with Gaussian and leverage-score initialization and measure their gap to NTK ridge\n"
             "regression along the whole trajectory (MATH.md 7). Rows are centered and scaled to\n"
             "unit norm, the target standardized; without DATA: digits, +1 for the digit 0, -1\n"
             "otherwise. The step size is 1 / (lambda_max(K) + alpha), stable by construction.",
             """\
             examples:
               levrf equivalence                                  # digits
               levrf equivalence train.csv --target y --widths 128,512,2048 --seeds 0,1,2
             """)
    e.add_argument("data", metavar="DATA", nargs="?", help="data (.csv, .parquet, .npy, .npz); default digits")
    e.add_argument("--target", metavar="COL", help="target column (required with DATA)")
    e.add_argument("--widths", type=_int_list, default=[128, 512, 2048], metavar="M1,M2,...",
                   help="even network widths (default 128,512,2048)")
    e.add_argument("--seeds", type=_int_list_nonneg, default=[0, 1], metavar="S1,S2,...",
                   help="seeds, one run each per width and init (default 0,1)")
    e.add_argument("--alpha", type=_positive_float, default=0.1, metavar="A", help="penalty alpha (default 0.1)")
    e.add_argument("--steps", type=_positive_int, default=100, help="gradient-descent steps (default 100)")
    e.add_argument("--n-train", type=_positive_int, default=256, help="training rows (default 256)")
    e.add_argument("--n-test", type=_positive_int, default=128, help="test rows (default 128)")
    e.add_argument("--out", default="levrf-equivalence", help="report folder (default levrf-equivalence/)")
    _add_common(e, threads=1)
    e.set_defaults(func=cmd_equivalence)
    return p


def _one_line(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())
    return msg or type(exc).__name__


def main(argv=None) -> int:
    """Entry point of the ``levrf`` console script; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    try:
        with _thread_limit(getattr(args, "threads", None)):
            return int(args.func(args) or 0)
    except CLIError as exc:
        print(f"levrf: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, FloatingPointError, ImportError) as exc:
        if os.environ.get("LEVRF_DEBUG"):
            raise
        print(f"levrf: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("levrf: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
