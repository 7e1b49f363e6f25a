"""The model named by position (NU13 #12): every command that reads a model takes the
older ``COMMAND MODEL.npz`` as it takes ``--model MODEL.npz`` (``explain`` refused it
while ``predict`` and ``evaluate`` took it), with the same output; two different models
are refused. A table without the model's columns is refused naming every missing one
(``explain`` named only the first), in ``predict``'s words. The oracle: the ``--model``
form's output, and the columns removed from the table by hand."""

import pytest

from glassnet.cli.main import main


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pos")
    rows = [f"{(i % 7) / 7:.3f},{(i * 5 % 11) / 11:.3f},{(i * 3 % 13) / 13:.3f},"
            f"{'ab'[(i % 7) > 3]}" for i in range(60)]  # fmt: skip
    data = folder / "d.csv"
    data.write_text("h one,w,z,label\n" + "\n".join(rows) + "\n")
    model = folder / "m.npz"
    assert main(["train", "--data", str(data), "--target", "label", "--hidden", "3",
                 "--epochs", "2", "--progress", "off", "--out", str(model)]) == 0  # fmt: skip
    return folder, data, model


COMMANDS = {
    "predict": ["--data", "{d}"],
    "evaluate": ["--data", "{d}", "--target", "label"],
    "explain": ["--data", "{d}", "--target", "label", "--rows", "2"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_positional_model_reads_as_model(run, capsys, command):
    _, data, model = run
    options = [a.format(d=data) for a in COMMANDS[command]]
    capsys.readouterr()
    assert main([command, "--model", str(model), *options]) == 0
    named = capsys.readouterr().out
    assert main([command, str(model), *options]) == 0
    assert capsys.readouterr().out == named and named
    assert main([command, *options, str(model)]) == 0  # after the options too
    assert capsys.readouterr().out == named
    assert main([command, str(model), "--model", str(model), *options]) == 0  # the same twice


@pytest.mark.parametrize("command", [*sorted(COMMANDS), "report"])
def test_two_different_models_are_refused(run, capsys, command):
    folder, data, model = run
    other = folder / "other.npz"
    assert main([command, str(other), "--model", str(model), "--data", str(data)]) == 2
    assert f"the model is named twice: {other} and --model {model}" in capsys.readouterr().err


def test_the_positional_report_and_explain_without_a_model(run, tmp_path, capsys):
    _, data, model = run
    out = tmp_path / "r.html"
    assert main(["report", str(model), "--data", str(data), "--target", "label", "--out",
                 str(out)]) == 0  # fmt: skip
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert main(["explain", "--rows", "1"]) == 0  # the tutorial's network, no model
    assert "2-3-2 network" in capsys.readouterr().out


@pytest.mark.parametrize("dropped", [["h one"], ["h one", "z"], ["w", "z"], ["h one", "w", "z"]])
@pytest.mark.parametrize("command", [*sorted(COMMANDS), "report"])
def test_every_missing_column_is_named(run, tmp_path, capsys, command, dropped):
    _, data, model = run
    header, *rows = data.read_text().splitlines()
    names = header.split(",")
    keep = [i for i, n in enumerate(names) if n not in dropped]
    lines = [",".join(line.split(",")[i] for i in keep) for line in [header, *rows]]
    partial = tmp_path / "partial.csv"
    partial.write_text("\n".join(lines) + "\n")
    options = [a.format(d=partial) for a in COMMANDS.get(command, ["--data", "{d}", "--target",
                                                                    "label"])]  # fmt: skip
    if command == "report":
        options += ["--out", str(tmp_path / "r.html")]
    assert main([command, str(model), *options]) == 1
    err = capsys.readouterr().err.strip()
    missing = ", ".join(n for n in ["h one", "w", "z"] if n in dropped)
    assert err.endswith(f"{partial}: missing feature columns: {missing}"), err
    assert len(err.splitlines()) == 1
