"""The ``glassnet`` console script: :func:`glassnet.cli.main` with a Ctrl-C caught from the
first instant (as Python imports the package itself), so one at any moment is one line on
stderr and exit code 130, never a traceback. Kept outside the package: importing
``glassnet`` (its ``__init__``) is itself a moment a Ctrl-C may come."""

import sys


def main() -> int:
    """Run the command line on ``sys.argv``; returns its exit code."""
    try:
        from glassnet.cli import main as run
    except KeyboardInterrupt:
        print("glassnet: interrupted by SIGINT as it started; nothing was done", file=sys.stderr)
        return 130
    return run()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
