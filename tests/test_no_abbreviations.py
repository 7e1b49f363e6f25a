"""Options are taken by their whole name only (NU10 #9): argparse's default would take
``--epoch 1`` as ``--epochs 1``, ``--val 0`` as ``--val-fraction 0`` and ``--pat 0`` as
``--patience 0``, silently; every command refuses a prefix as an unrecognized argument,
exit code 2, one line naming it. The oracle is the list of each parser's own options."""

from __future__ import annotations

import argparse

import pytest

from glassnet.cli.main import build_parser, main, parse

BASES = {  # argv each command parses without error, so that only the prefix can fail
    "demo": [],
    "gradcheck": [],
    "explain": [],
    "report": ["--model", "m.npz", "--data", "d.csv"],
    "train": ["--dataset", "circles"],
    "predict": ["--model", "m.npz", "--data", "d.csv"],
    "evaluate": ["--model", "m.npz", "--data", "d.csv"],
    "export-onnx": ["--model", "m.npz"],
    "sweep": ["--dataset", "circles"],
    "playground": [],
}


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _prefixes() -> list[tuple[str, str, str]]:
    """(command, option, a prefix of it that is no option of the command) for every long
    option of every command: the option less its last character, and its first four."""
    cases = []
    for command, parser in _commands().items():
        names = {s for a in parser._actions for s in a.option_strings}
        for name in sorted(n for n in names if n.startswith("--") and len(n) > 5):
            for prefix in {name[:-1], name[:5]}:
                if prefix not in names:
                    cases.append((command, name, prefix))
    return cases


def test_every_command_is_listed():
    assert set(_commands()) == set(BASES)


@pytest.mark.parametrize("command", sorted(BASES))
def test_bases_parse(command):
    args = parse(build_parser(), [command, *BASES[command]])
    assert args.command == command


@pytest.mark.parametrize(("command", "option", "prefix"), _prefixes())
def test_prefix_refused(command, option, prefix, capsys):
    with pytest.raises(SystemExit) as exc:
        parse(build_parser(), [command, *BASES[command], prefix, "1"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"glassnet {command}: error: unrecognized arguments: {prefix}")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["train", "--dataset", "circles", "--epoch", "1"], "unrecognized arguments: --epoch 1"),
        (["train", "--dataset", "circles", "--pat", "0"], "unrecognized arguments: --pat 0"),
        (["train", "--dataset", "circles", "--val", "0"], "unrecognized arguments: --val 0"),
        (["train", "--dataset", "circles", "--epoch=1"], "unrecognized arguments: --epoch=1"),
        (["train", "--datas", "circles"], "one of the arguments --data --dataset is required"),
        (["sweep", "--dataset", "circles", "--epoch", "1"], "unrecognized arguments: --epoch"),
        (["--vers"], "glassnet: error: unrecognized arguments: --vers"),
    ],
)
def test_user_findings_refused(argv, said, capsys):
    """The findings' own commands (main, as the shell runs it): exit 2 before any work."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert said in capsys.readouterr().err


def test_whole_names_still_work():
    args = parse(
        build_parser(),
        ["train", "--dataset", "circles", "--epochs=3", "--patience", "0", "--val-fraction", "0"],
    )
    assert (args.epochs, args.patience, args.val_fraction) == (3, 0, 0.0)


def test_every_parser_refuses_prefixes():
    parsers = [build_parser(), *_commands().values()]
    assert all(p.allow_abbrev is False for p in parsers)
