"""The ``minga clearing FILE [--json] [--out-dir DIR]`` command.

Reads obligations from a CSV file (see :mod:`.parsing`), computes the optimal
multilateral set-off (see :mod:`.solver`) and prints a before/after report; with
``--json`` it prints one JSON object instead. It also writes ``setoff.csv``,
``positions.csv`` and ``report.json`` into ``--out-dir DIR`` (by default
``FILE.clearing/`` beside the input); ``--no-files`` writes nothing to disk.
The JSON is compact; ``--pretty`` indents it (on stdout and in ``report.json``).

The data stays in columns from the file to the outputs (see :mod:`.parsing`,
:mod:`.solver` and :mod:`.report`): a million obligations never become a million
objects.

Exit codes: 0 on success; 2 for usage errors and unreadable or malformed input
(the message names the line and field); 1 if the result cannot be computed or the
output files cannot be written. Output files are only written after the whole
clearing has succeeded, each to a temporary file in DIR that is then renamed over
the final name, so a failed run never leaves partial or stale-looking files behind.

This module may import only the standard library (the clearing package as a whole
may import only the standard library and OR-Tools).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import os
import sys
from collections.abc import Callable
from typing import TextIO

from minga.core.clearing.model import AmountOverflowError, ClearingError
from minga.core.clearing.parsing import ObligationFileError, read_obligation_columns
from minga.core.clearing.report import (
    format_report,
    write_json,
    write_positions_csv,
    write_setoff_csv,
)
from minga.core.clearing.solver import aggregate_columns, check_setoff, minimal_remaining

PROG = "minga clearing"

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Clear a network of debts multilaterally: cancel as much debt as possible "
            "around cycles without changing any organization's net position."
        ),
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help="CSV file with a header row debtor,creditor,amount; amounts are whole "
        "numbers of minor units (e.g. cents)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object instead of the readable report",
    )
    parser.add_argument(
        "--pretty",
        action="store_true",
        help="indent the JSON (on stdout and in report.json) for people to read",
    )
    parser.add_argument(
        "--out-dir",
        metavar="DIR",
        help="where to write setoff.csv, positions.csv and report.json "
        "(created if needed; default: FILE.clearing/ beside the input)",
    )
    parser.add_argument(
        "--no-files", action="store_true", help="only print the report; write no files"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        # argparse exits on --help and on usage errors; callers of main() (tests,
        # the minga dispatcher) want the status code instead.
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT

    def fail(status: int, message: str) -> int:
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return status

    try:
        obligations = read_obligation_columns(args.file)
    except ObligationFileError as error:
        return fail(EXIT_BAD_INPUT, f"{args.file}: {error}")
    except OSError as error:
        return fail(EXIT_BAD_INPUT, f"cannot read {args.file}: {error.strerror or error}")

    try:
        network = aggregate_columns(obligations)
        # The names now live in the network once each: let the per-row strings go
        # before the solver builds its graph, which is when memory peaks.
        del obligations
        table = check_setoff(network, minimal_remaining(network))
    except AmountOverflowError as error:
        return fail(EXIT_BAD_INPUT, f"{args.file}: {error}")
    except ClearingError as error:
        return fail(EXIT_FAILURE, str(error))

    out_dir: str | None = args.out_dir
    if args.no_files:
        out_dir = None
    elif out_dir is None:
        out_dir = args.file + ".clearing"

    def report_json(out: TextIO) -> None:
        write_json(table, out, pretty=args.pretty)
        out.write("\n")

    if out_dir is not None:
        files: dict[str, Callable[[TextIO], None]] = {
            "setoff.csv": lambda out: write_setoff_csv(table, out),
            "positions.csv": lambda out: write_positions_csv(table, out),
            "report.json": report_json,
        }
        try:
            _write_atomically(out_dir, files)
        except OSError as error:
            return fail(EXIT_FAILURE, f"cannot write to {out_dir}: {error}")

    if args.json:
        if out_dir is None:
            report_json(sys.stdout)
        else:
            # The same text was just written: copy it rather than format it twice.
            _copy_to_stdout(os.path.join(out_dir, "report.json"))
    else:
        sys.stdout.write(format_report(table))
        if out_dir is not None:
            sys.stdout.write(f"Wrote setoff.csv, positions.csv and report.json to {out_dir}\n")
    return EXIT_OK


def _copy_to_stdout(path: str) -> None:
    """Copy a UTF-8 text file to stdout, as bytes when stdout is UTF-8 too."""
    binary = getattr(sys.stdout, "buffer", None)
    encoding = getattr(sys.stdout, "encoding", None)
    if binary is not None and encoding and codecs.lookup(encoding).name == "utf-8":
        sys.stdout.flush()
        with open(path, "rb") as written:
            while chunk := written.read(1 << 20):
                binary.write(chunk)
        binary.flush()
        return
    with open(path, encoding="utf-8", newline="") as written:
        while text := written.read(1 << 20):
            sys.stdout.write(text)


def _write_atomically(directory: str, files: dict[str, Callable[[TextIO], None]]) -> None:
    """Write every file to a temporary sibling first, and rename only once all are written.

    A rename within one directory is atomic, so readers see either the old file or
    the complete new one; and a failure while writing leaves no file renamed.
    """
    os.makedirs(directory, exist_ok=True)
    staged: list[tuple[str, str]] = []
    try:
        for name, write in files.items():
            temporary = os.path.join(directory, f".{name}.{os.urandom(6).hex()}.tmp")
            # O_EXCL: a fresh file, never one (or a link) that was already there. The
            # mode is filtered by the umask, as for any new file the user creates.
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            staged.append((temporary, os.path.join(directory, name)))
            with open(descriptor, "w", encoding="utf-8", newline="") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
        for temporary, final in staged:
            os.replace(temporary, final)
    finally:
        for temporary, _final in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


if __name__ == "__main__":
    sys.exit(main())
