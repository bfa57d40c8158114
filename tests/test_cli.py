"""The ``levrf`` command line, end to end on small inputs (in-process, plus one subprocess)."""

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import levrf
from levrf.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def assert_error(capsys, fragment, *argv):
    code, out, err = run(capsys, *argv)
    assert code == 2, (code, out, err)
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("levrf: error:"), err
    assert fragment.lower() in lines[0].lower(), (fragment, lines[0])


def assert_png(path):
    assert os.path.getsize(path) > 1000, path
    with open(path, "rb") as fh:
        assert fh.read(8) == PNG_MAGIC, path


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("data")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 3))
    y = np.sin(X[:, 0]) + 0.1 * X[:, 1]
    df = pd.DataFrame(X, columns=["a", "b", "c"]).assign(y=y)
    df.to_csv(d / "train.csv", index=False)
    df.iloc[:20].drop(columns="y").to_csv(d / "test.csv", index=False)
    np.save(d / "train.npy", np.column_stack([X, y]))
    np.savez(d / "train.npz", X=X, y=y)
    bad = df.copy()
    bad.loc[5, "b"] = np.nan
    bad.to_csv(d / "nan.csv", index=False)
    df.assign(color=["red"] * 80).to_csv(d / "text.csv", index=False)
    (d / "junk.joblib").write_bytes(b"not a model at all")
    return {"dir": d, "X": X, "y": y}


def test_demo_quick_writes_every_plot_and_table(tmp_path, capsys):
    out = tmp_path / "report"
    code, stdout, _ = run(capsys, "demo", "--quick", "--out", str(out), "--no-progress")
    assert code == 0
    report = (out / "report.md").read_text()
    for png in ("statistical_dimension.png", "spectral_error.png", "ridge_error.png", "nn_gap.png",
                "nn_trajectories.png"):
        assert_png(out / png)
        assert f"]({png})" in report
    for section in ("(a)", "(b)", "(c)", "(d)", "(e)", "seed", "alpha*t", "horizon t"):
        assert section in report
    for sampler in levrf.samplers.SAMPLERS:  # each sampler measured or named as skipped
        assert f"| {sampler} |" in report or f"`{sampler}`" in report
    assert "| step | result |" in report
    assert "spectral error" in stdout and "report:" in stdout


def test_fit_predict_roundtrip_matches_python_api(data, tmp_path, capsys):
    d = data["dir"]
    model = tmp_path / "m.joblib"
    code, _, _ = run(capsys, "fit", str(d / "train.csv"), "--target", "y", "--kernel", "gaussian",
                     "--kernel-param", "bandwidth=2", "--n-components", "40", "--alpha", "0.01", "0.1", "1",
                     "--seed", "3", "--model", str(model), "--no-progress")
    assert code == 0
    pred = tmp_path / "p.csv"
    code, _, _ = run(capsys, "predict", str(model), str(d / "test.csv"), "--out", str(pred))
    assert code == 0
    got = pd.read_csv(pred)["y"].to_numpy()
    ref = levrf.RandomFeatureRidge("gaussian", 40, alpha=[0.01, 0.1, 1.0], kernel_params={"bandwidth": 2.0},
                                   random_state=3).fit(data["X"], data["y"])
    np.testing.assert_allclose(got, ref.predict(data["X"][:20]), rtol=1e-10, atol=1e-12)
    # the target column in the prediction file is ignored; npy and npz give the same model
    code, _, _ = run(capsys, "predict", str(model), str(d / "train.csv"), "--out", str(tmp_path / "p2.npy"))
    assert code == 0
    np.testing.assert_allclose(np.load(tmp_path / "p2.npy")[:20], got, rtol=1e-12)
    for src, target in (("train.npy", "-1"), ("train.npz", "y")):
        m2 = tmp_path / f"{src}.joblib"
        assert run(capsys, "fit", str(d / src), "--target", target, "--kernel", "gaussian", "--kernel-param",
                   "bandwidth=2", "--n-components", "40", "--alpha", "0.01", "0.1", "1", "--seed", "3",
                   "--model", str(m2), "--no-progress")[0] == 0
        assert run(capsys, "predict", str(m2), str(d / "train.npz"), "--out", str(tmp_path / "p3.csv"))[0] == 0
        np.testing.assert_allclose(pd.read_csv(tmp_path / "p3.csv").iloc[:20, 0], got, rtol=1e-10)


def test_seed_reproducible_bit_for_bit(data, tmp_path, capsys):
    d = data["dir"]
    preds = []
    for k in range(2):
        model = tmp_path / f"m{k}.joblib"
        run(capsys, "fit", str(d / "train.csv"), "--target", "y", "--sampler", "leverage", "--n-components", "16",
            "--alpha", "0.1", "--seed", "7", "--model", str(model), "--no-progress")
        run(capsys, "predict", str(model), str(d / "test.csv"), "--out", str(tmp_path / f"p{k}.npy"))
        preds.append(np.load(tmp_path / f"p{k}.npy"))
    assert np.array_equal(preds[0], preds[1])


def test_approx_writes_table_and_plot(data, tmp_path, capsys):
    out = tmp_path / "approx"
    code, stdout, _ = run(capsys, "approx", str(data["dir"] / "train.csv"), "--target", "y", "--kernel", "arccos1",
                          "--n-components", "8,32", "--samplers", "classical,bound,exact-pool", "--repeats", "1",
                          "--max-rows", "50", "--out", str(out), "--no-progress")
    assert code == 0
    assert_png(out / "approx.png")
    text = (out / "approx.md").read_text()
    assert "subsample of 50 of 80 rows" in text and "| bound |" in text
    assert (out / "approx.csv").read_text().startswith("sampler,m,median")


def test_equivalence_on_user_data(data, tmp_path, capsys):
    out = tmp_path / "eq"
    code, stdout, _ = run(capsys, "equivalence", str(data["dir"] / "train.csv"), "--target", "y", "--widths", "16,64",
                          "--seeds", "0", "--steps", "10", "--n-train", "40", "--n-test", "20", "--out", str(out),
                          "--no-progress")
    assert code == 0
    assert_png(out / "nn_gap.png")
    assert_png(out / "nn_trajectories.png")
    assert "alpha * t" in (out / "report.md").read_text()
    assert "slope test_gap" in stdout


@pytest.mark.parametrize("argv, fragment", [
    (["fit", "{d}/missing.csv", "--target", "y", "--model", "{t}/m"], "no such file"),
    (["fit", "{d}/train.csv", "--target", "nope", "--model", "{t}/m"], "no column 'nope'"),
    (["fit", "{d}/train.csv", "--model", "{t}/m"], "--target is required"),
    (["fit", "{d}/text.csv", "--target", "y", "--model", "{t}/m"], "not numeric"),
    (["fit", "{d}/nan.csv", "--target", "y", "--model", "{t}/m"], "NaN"),
    (["fit", "{d}/train.csv", "--target", "y", "--alpha", "-1", "--model", "{t}/m"], "--alpha"),
    (["fit", "{d}/train.csv", "--target", "y", "--alpha", "abc", "--model", "{t}/m"], "--alpha"),
    (["fit", "{d}/train.csv", "--target", "y", "--n-components", "0", "--model", "{t}/m"], "--n-components"),
    (["fit", "{d}/train.csv", "--target", "y", "--kernel", "foo", "--model", "{t}/m"], "--kernel"),
    (["fit", "{d}/train.npy", "--target", "9", "--model", "{t}/m"], "out of range"),
    (["fit", "{d}/train.npz", "--target", "z", "--model", "{t}/m"], "no target array"),
    (["fit", "{d}/train.parquet", "--target", "y", "--model", "{t}/m"], "no such file"),
    (["fit", "{d}/train.csv", "--target", "y", "--kernel-param", "nonsense=1", "--model", "{t}/m"], "nonsense"),
    (["predict", "{d}/junk.joblib", "{d}/test.csv", "--out", "{t}/p.csv"], "not a levrf model"),
    (["predict", "{d}/missing.joblib", "{d}/test.csv", "--out", "{t}/p.csv"], "no such model"),
    (["approx", "{d}/train.csv", "--n-components", "8,x"], "--n-components"),
    (["approx", "{d}/train.csv", "--samplers", "classical,magic"], "magic"),
    (["approx", "{d}/train.csv", "--max-rows", "100000"], "above the limit"),
    (["equivalence", "{d}/train.csv"], "--target is required"),
    (["equivalence", "{d}/train.csv", "--target", "y", "--widths", "15"], "even"),
    (["nosuchcommand"], "invalid choice"),
])
def test_bad_input_one_line_exit_2(data, tmp_path, capsys, argv, fragment):
    argv = [a.format(d=data["dir"], t=tmp_path) for a in argv]
    assert_error(capsys, fragment, *argv, *([] if argv[0] in ("predict", "nosuchcommand") else ["--no-progress"]))


def test_parquet_without_pyarrow_is_a_clear_message(data, tmp_path, capsys):
    path = tmp_path / "t.parquet"
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        path.write_bytes(b"PAR1")
        assert_error(capsys, "pip install pyarrow", "fit", str(path), "--target", "y", "--model", str(tmp_path / "m"))
    else:
        pd.read_csv(data["dir"] / "train.csv").to_parquet(path)
        assert run(capsys, "fit", str(path), "--target", "y", "--n-components", "8", "--model",
                   str(tmp_path / "m"), "--no-progress")[0] == 0


def test_model_from_other_version_is_refused(data, tmp_path, capsys):
    import joblib

    model = tmp_path / "m.joblib"
    run(capsys, "fit", str(data["dir"] / "train.csv"), "--target", "y", "--n-components", "8", "--model", str(model),
        "--no-progress")
    payload = joblib.load(model)
    payload["levrf_version"] = "0.0.9"
    joblib.dump(payload, model)
    assert_error(capsys, "saved by levrf 0.0.9", "predict", str(model), str(data["dir"] / "test.csv"),
                 "--out", str(tmp_path / "p.csv"))
    joblib.dump({"some": "dict"}, model)
    assert_error(capsys, "not a levrf model", "predict", str(model), str(data["dir"] / "test.csv"),
                 "--out", str(tmp_path / "p.csv"))


def test_predict_missing_feature_column(data, tmp_path, capsys):
    model = tmp_path / "m.joblib"
    run(capsys, "fit", str(data["dir"] / "train.csv"), "--target", "y", "--n-components", "8", "--model", str(model),
        "--no-progress")
    pd.read_csv(data["dir"] / "test.csv").drop(columns="b").to_csv(tmp_path / "less.csv", index=False)
    assert_error(capsys, "'b'", "predict", str(model), str(tmp_path / "less.csv"), "--out", str(tmp_path / "p.csv"))


def test_help_has_examples(capsys):
    for cmd in ("demo", "fit", "predict", "approx", "equivalence"):
        code, out, _ = run(capsys, cmd, "--help")
        assert code == 0 and "examples:" in out and f"levrf {cmd}" in out


def test_installed_console_script_help():
    exe = os.path.join(os.path.dirname(sys.executable), "levrf")
    proc = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "levrf demo --quick" in proc.stdout and "Traceback" not in proc.stderr
