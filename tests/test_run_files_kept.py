"""``predict``, ``report`` and ``export-onnx`` never write over what a training run made
(a model, a checkpoint, a history, a training report): exit 2, one line naming the file and
what it is, the file untouched; over their own kind of file they still write (and say so)."""

import pytest

from glassnet.cli.main import main


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    argv = ["train", "--dataset", "moons", "--n-samples", "80", "--hidden", "4", "--epochs",
            "3", "--progress", "off", "--out", str(folder / "m.npz")]  # fmt: skip
    assert main(argv) == 0
    data = folder / "new.csv"
    data.write_text("x0,x1,label\n0.1,0.2,0\n1.0,-0.5,1\n0.3,0.9,1\n")
    return folder, data


ARTEFACTS = {
    "m.npz": "a glassnet model or checkpoint",
    "m.ckpt.npz": "a glassnet model or checkpoint",
    "history.json": "a training history",
    "report.html": "a training report",
    "loss.png": "a figure (PNG image)",
}


def _command(command, folder, data, out):
    model = str(folder / "m.npz")
    return {
        "predict": ["predict", "--model", model, "--data", str(data), "--out", str(out)],
        "report": ["report", "--model", model, "--data", str(data), "--target", "label",
                   "--out", str(out)],  # fmt: skip
        "export-onnx": ["export-onnx", "--model", model, "--out", str(out)],
    }[command]


@pytest.mark.parametrize("artefact", sorted(ARTEFACTS))
@pytest.mark.parametrize("command", ["predict", "report", "export-onnx"])
def test_no_command_writes_over_a_training_runs_files(run, capsys, command, artefact):
    folder, data = run
    out = folder / artefact
    if command == "export-onnx" and artefact == "m.ckpt.npz" and not out.exists():
        pytest.skip("no checkpoint")
    before = out.read_bytes()
    assert main(_command(command, folder, data, out)) == 2
    said = capsys.readouterr()
    assert said.out == "" and len(said.err.strip().splitlines()) == 1
    assert f"--out {out} is {ARTEFACTS[artefact]}" in said.err
    assert out.read_bytes() == before


@pytest.fixture(scope="module")
def others(tmp_path_factory):
    """The folders of a sweep and of the demo (every file they write)."""
    sweep, demo = tmp_path_factory.mktemp("sweep"), tmp_path_factory.mktemp("demo")
    assert main(["sweep", "--dataset", "moons", "--n-samples", "60", "--hidden", "3",
                 "--epochs", "2", "--lr", "0.1", "--out", str(sweep)]) == 0  # fmt: skip
    assert main(["demo", "--every", "0", "--animate", "--out", str(demo)]) == 0
    return sweep, demo


OTHER_ARTEFACTS = {
    ("sweep", "results.csv"): "a sweep's results table",
    ("sweep", "best.npz"): "a glassnet model or checkpoint",
    ("sweep", "report.html"): "a sweep report",
    ("sweep", "history.json"): "a training history",
    ("sweep", "loss.png"): "a figure (PNG image)",
    ("demo", "metrics.json"): "a demo's metrics",
    ("demo", "params.npz"): "a glassnet model or checkpoint",
    ("demo", "dataset.png"): "a figure (PNG image)",
    ("demo", "loss.png"): "a figure (PNG image)",
    ("demo", "decision_boundary.png"): "a figure (PNG image)",
    ("demo", "hidden_projection.png"): "a figure (PNG image)",
    ("demo", "report.html"): "a demo report",
    ("demo", "training.gif"): "an animation (GIF)",
}


@pytest.mark.parametrize(("writer", "artefact"), sorted(OTHER_ARTEFACTS))
@pytest.mark.parametrize("command", ["predict", "report", "export-onnx"])
def test_no_command_writes_over_a_sweeps_or_the_demos_files(
    run, others, capsys, command, writer, artefact
):
    folder, data = run
    out = others[writer == "demo"] / artefact
    assert out.is_file(), f"{writer} no longer writes {artefact}: update this list"
    before = out.read_bytes()
    assert main(_command(command, folder, data, out)) == 2
    said = capsys.readouterr()
    assert said.out == "" and len(said.err.strip().splitlines()) == 1
    assert f"--out {out} is {OTHER_ARTEFACTS[writer, artefact]}" in said.err
    assert out.read_bytes() == before


def test_every_file_a_sweep_or_the_demo_writes_is_listed(others):
    sweep, demo = others
    written = {("sweep", p.name) for p in sweep.iterdir()}
    written |= {("demo", p.name) for p in demo.iterdir()}
    assert written == set(OTHER_ARTEFACTS)


@pytest.mark.parametrize(("command", "name"), [("predict", "p.csv"), ("report", "r.html")])
def test_over_their_own_kind_of_file_they_write_and_say_so(run, capsys, command, name):
    folder, data = run
    out = folder / name
    assert main(_command(command, folder, data, out)) == 0
    assert main(_command(command, folder, data, out)) == 0
    assert f"replaced the earlier {out}" in capsys.readouterr().out


@pytest.mark.parametrize("members", ["2", "3"])
def test_an_ensemble_over_a_single_run_removes_its_stale_checkpoint(tmp_path, capsys, members):
    base = ["train", "--dataset", "moons", "--n-samples", "80", "--hidden", "4", "--epochs",
            "2", "--progress", "off", "--out", str(tmp_path / "b.npz")]  # fmt: skip
    assert main(base) == 0
    assert (tmp_path / "b.ckpt.npz").is_file()
    capsys.readouterr()
    assert main([*base, "--ensemble", members]) == 0
    assert not (tmp_path / "b.ckpt.npz").exists()
    assert f"removed {tmp_path / 'b.ckpt.npz'}" in capsys.readouterr().out
    assert main([*base, "--resume"]) == 2  # nothing stale left to resume: refused


SWEEP = ["sweep", "--dataset", "moons", "--n-samples", "60", "--hidden", "3", "--epochs", "2",
         "--lr", "0.1", "--out"]  # fmt: skip
DEMO = ["demo", "--every", "0", "--out"]
SWEEP_FILES = ("results.csv", "best.npz", "history.json", "loss.png", "report.html")
DEMO_FILES = ("metrics.json", "params.npz", "dataset.png", "loss.png", "decision_boundary.png",
              "hidden_projection.png", "report.html")  # fmt: skip


@pytest.mark.parametrize(
    ("writer", "into"),
    [("sweep", "train"), ("demo", "train"), ("sweep", "demo"), ("demo", "sweep")],
)
def test_sweep_and_demo_write_beside_another_commands_files(
    run, others, tmp_path, capsys, writer, into
):
    import shutil

    source = {"train": run[0], "sweep": others[0], "demo": others[1]}[into]
    folder = tmp_path / "f"
    shutil.copytree(source, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    argv, names = (SWEEP, SWEEP_FILES) if writer == "sweep" else (DEMO, DEMO_FILES)
    for attempt in range(2):  # and again: its own prefixed files are replaced, named so
        assert main([*argv, str(folder)]) == 0
        said = capsys.readouterr().out
        assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name in before} == before
        for name in names:
            assert (folder / f"{writer}.{name}").is_file(), name
        assert f"note: {folder} holds files another command wrote" in said
        assert ("note: replaced the earlier" in said) == (attempt == 1), said
    assert set(before) | {f"{writer}.{n}" for n in names} == {p.name for p in folder.iterdir()}


@pytest.mark.parametrize("writer", ["sweep", "demo"])
def test_a_second_sweep_or_demo_in_its_folder_replaces_its_own_files_and_says_so(
    tmp_path, capsys, writer
):
    argv, names = (SWEEP, SWEEP_FILES) if writer == "sweep" else (DEMO, DEMO_FILES)
    assert main([*argv, str(tmp_path)]) == 0
    capsys.readouterr()
    assert main([*argv, str(tmp_path)]) == 0
    said = capsys.readouterr().out
    assert "holds files another command wrote" not in said
    assert said.count("note: replaced the earlier") == 1
    assert all(str(tmp_path / n) in said for n in names)
    assert {p.name for p in tmp_path.iterdir()} == set(names)


TRAIN = ["train", "--dataset", "moons", "--n-samples", "60", "--hidden", "3", "--epochs", "2",
         "--progress", "off", "--out"]  # fmt: skip


@pytest.mark.parametrize("ensemble", [[], ["--ensemble", "2"]])
@pytest.mark.parametrize(("writer", "artefact"), sorted(OTHER_ARTEFACTS))
def test_train_never_writes_over_a_sweeps_or_the_demos_files(
    others, capsys, ensemble, writer, artefact
):
    out = others[writer == "demo"] / artefact
    folder_before = {p.name: p.read_bytes() for p in out.parent.iterdir()}
    assert main([*TRAIN, str(out), *ensemble]) == 2
    said = capsys.readouterr()
    assert said.out == "" and len(said.err.strip().splitlines()) == 1, said
    what = {"best.npz": "a sweep's best model", "params.npz": "the demo's parameters"}
    assert f"--out {out} is {what.get(artefact, OTHER_ARTEFACTS[writer, artefact])}" in said.err
    assert {p.name: p.read_bytes() for p in out.parent.iterdir()} == folder_before


@pytest.mark.parametrize("writer", ["sweep", "demo"])
def test_train_refuses_a_sweeps_or_demos_model_written_beside_another_run(
    run, tmp_path, capsys, writer
):
    """A sweep or demo run into a training run's folder writes ``sweep.best.npz`` /
    ``demo.params.npz``: ``train`` refuses those too; a model of its own beside them it
    writes, its files under the model's name."""
    import shutil

    folder = tmp_path / "f"
    shutil.copytree(run[0], folder)
    argv, model = (SWEEP, "sweep.best.npz") if writer == "sweep" else (DEMO, "demo.params.npz")
    assert main([*argv, str(folder)]) == 0
    capsys.readouterr()
    before = (folder / model).read_bytes()
    assert main([*TRAIN, str(folder / model)]) == 2
    what = "a sweep's best model" if writer == "sweep" else "the demo's parameters"
    assert f"is {what}" in capsys.readouterr().err
    assert (folder / model).read_bytes() == before
    assert main([*TRAIN, str(folder / "own.npz")]) == 0
    assert (folder / "own.report.html").is_file() and (folder / model).read_bytes() == before


@pytest.mark.parametrize("name", ["best.npz", "params.npz"])
def test_train_replaces_its_own_model_named_as_a_sweeps_or_the_demos(tmp_path, capsys, name):
    out = tmp_path / name
    assert main([*TRAIN, str(out)]) == 0
    assert main([*TRAIN, str(out), "--epochs", "3"]) == 0
    assert f"replaced the earlier {out}" in capsys.readouterr().out


@pytest.mark.parametrize("writer", ["sweep", "demo"])
def test_sweep_and_demo_write_beside_a_run_whose_model_has_their_models_name(
    tmp_path, capsys, writer
):
    argv, model = (SWEEP, "best.npz") if writer == "sweep" else (DEMO, "params.npz")
    assert main([*TRAIN, str(tmp_path / model)]) == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert main([*argv, str(tmp_path)]) == 0
    assert f"this {writer}'s go to" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name in before} == before
    assert (tmp_path / f"{writer}.{model}").is_file()
