"""The ``glassnet`` command line: parses arguments and calls the library.

Exit codes (:data:`EXIT_CODES`): 0 success; 1 a failed check or bad input data or files
(one line on stderr); 2 bad arguments (one line on stderr); 3 an inconclusive gradient
check (``glassnet gradcheck``: ``--eps`` or the tolerance too small, or ``--eps`` too
large, for float64 to judge the gradients); 128 + N stopped by signal N
(130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT; :mod:`glassnet.cli.stops`);
141 the reader of the output went away (``glassnet explain | head``), quietly.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from glassnet.cli import parser_sweep, parser_train, parsers
from glassnet.cli.checks import UsageError, check_arguments

EXIT_CODES = {
    0: "success",
    1: "a failed check, or bad input data or files",
    2: "bad arguments: an unknown, malformed, missing or inapplicable option",
    3: "an inconclusive check (gradcheck: the central differences' own error exceeds the "
    "tolerance)",
    129: "stopped by SIGHUP (the terminal closed); a training run saves its model first",
    130: "interrupted (Ctrl-C, SIGINT); a training run saves its model first",
    131: "stopped by SIGQUIT; a training run saves its model first",
    143: "stopped by SIGTERM (kill, timeout, a scheduler); a training run saves its model first",
    141: "the output pipe was closed by its reader",
}


class CommandError(Exception):
    """A problem with the user's input, reported as one line with exit code 1."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit code 2, and which
    takes each option by its whole name only: ``--epoch 1`` or ``--val 0`` (a prefix of
    ``--epochs``, ``--val-fraction``) is refused as unrecognized, not taken as the option it
    begins. Every command's parser is one of these (``parser_class`` of the subparsers), as
    argparse passes no ``allow_abbrev`` from a parser to its subparsers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def format_usage(self) -> str:
        return self._required_model(super().format_usage())

    def format_help(self) -> str:
        return self._required_model(super().format_help())

    def _required_model(self, text: str) -> str:
        """``--model`` is required (or the older positional ``MODEL.npz``), so the usage line
        shows it without brackets; argparse brackets it, as it cannot be ``required=True``."""
        if getattr(self, "model_required", False):
            return text.replace("[--model MODEL.npz]", "--model MODEL.npz", 1)
        return text


def build_parser() -> argparse.ArgumentParser:
    from glassnet._version import __version__

    codes = "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items())
    parser = Parser(
        prog="glassnet",
        description="A see-through neural-network library: train, check and look inside MLPs.",
        epilog=f"exit codes: {codes}.",
    )
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=Parser, required=False
    )

    parsers.add_demo(sub)
    parsers.add_gradcheck(sub)
    parsers.add_explain(sub)
    parsers.add_report(sub)
    parser_train.add_train(sub)
    parsers.add_predict_evaluate(sub)
    parsers.add_export_onnx(sub)
    parser_sweep.add_sweep(sub)
    parsers.add_playground(sub)
    return parser


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """``parser.parse_args``, but an option the command does not have is reported by the
    command's parser (``glassnet sweep: error: unrecognized arguments: ... (see glassnet
    sweep --help)``), where the options are listed, not by ``glassnet``'s."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        owner = commands.choices.get(args.command, parser) if args.command else parser
        owner.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``glassnet`` command; returns its exit code (see :data:`EXIT_CODES`).

    A closed standard output (``| head``) stops the printing, not the command: its files
    are still written, and the exit code is then 141 (:mod:`glassnet.cli.pipe`). A Ctrl-C
    before the command's own handling is in place (as it imports or reads its arguments)
    is one line and exit code 130."""
    try:
        return _main(argv)
    except KeyboardInterrupt:  # outside _run's stop signals: nothing was done yet
        print("glassnet: interrupted by SIGINT as it started; nothing was done", file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None) -> int:
    from glassnet.cli.pipe import guarded_output

    with guarded_output() as output:  # the help and argparse's errors too
        parser = build_parser()
        args = parse(parser, argv)
        if args.command is None:
            parser.print_help()
            code = 0
        else:
            code = _run(args)
    failed = output.stdout.failed
    if failed is not None and code == 0:  # > /dev/full: the work was done, say what was not
        print(_output_failed(args, failed), file=sys.stderr)
        return 1
    return 141 if output.closed_pipe and code == 0 else code


WORK_IN_FILES = ("train", "sweep", "demo", "report", "export-onnx")  # printing is not the work


def _output_failed(args: argparse.Namespace, exc: OSError) -> str:
    """One line naming standard output (``> /dev/full``) and what it means for the work."""
    command = f"glassnet {args.command}" if args.command else "glassnet"
    why = exc.strerror or str(exc)
    if args.command in WORK_IN_FILES or getattr(args, "out", None) is not None:
        after = "the printing stopped there; every file was still written"
    elif args.command == "predict":
        after = "the predictions written there are incomplete"
    else:
        after = "what was written there is incomplete"
    return f"{command}: error: could not write to standard output ({why}); {after}"


def _run(args: argparse.Namespace) -> int:
    from glassnet.cli.quiet import library_warnings_quiet
    from glassnet.cli.stops import exit_code, received, signal_name, stop_signals

    try:
        check_arguments(args)
        with stop_signals(), library_warnings_quiet(args.command):
            code = int(args.func(args))
            if code == 0 and received():  # it came after the command's last stop point
                print(f"glassnet {args.command}: {signal_name()} came as it finished; its "
                      "work was done", file=sys.stderr)  # fmt: skip
                return exit_code()
            return code
    except UsageError as exc:
        print(f"glassnet {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _closed_pipe()
    except (CommandError, ValueError, OSError, ImportError, FloatingPointError) as exc:
        # Bad input (DataError, ModelFileError are ValueErrors), unreadable files, a missing
        # optional dependency, a diverged run: one line, exit code 1, never a traceback.
        from glassnet.data.errors import UnknownColumn

        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"glassnet {args.command}: error: {message}", file=sys.stderr)
        return 2 if isinstance(exc, UnknownColumn) else 1  # a column named that is not there
    except KeyboardInterrupt:  # Ctrl-C or another stop signal (glassnet.cli.stops)
        print(f"glassnet {args.command}: interrupted by {signal_name()}", file=sys.stderr)
        return exit_code()


def _closed_pipe() -> int:
    """The reader of standard output went away (``| head``): stop quietly. Standard output
    is pointed at devnull so that Python's flush at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a replaced sys.stdout (tests) has no fd
        pass
    return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
