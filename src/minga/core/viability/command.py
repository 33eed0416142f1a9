"""The ``minga viability`` command: predicted seed viability from the Ellis & Roberts equation.

    minga viability --ke KE --cw CW [--ch CH --cq CQ] --initial PERCENT \
        --moisture PERCENT --temperature CELSIUS --days N [--json]
    minga viability --species "Triticum aestivum" --initial ... [--json]

Without ``--ch``/``--cq`` the universal temperature terms (Dickie et al. 1990) are used.
``--threshold PERCENT`` also prints the days until viability falls to it.
Exit codes: 0 on success, 2 for bad input (the message names the option).
This module may import only the standard library and minga.core.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from minga.core.viability.constants import find_species, species_table
from minga.core.viability.equation import (
    UNIVERSAL_CH,
    UNIVERSAL_CQ,
    SpeciesConstants,
    Storage,
    ViabilityError,
    days_until,
    predict,
)

PROG = "minga viability"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ViabilityError("arguments", message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Predict seed viability after storage (Ellis & Roberts 1980).",
    )
    parser.add_argument("--species", help='"Genus species" or common name from the table')
    parser.add_argument("--ke", type=float, help="species constant KE")
    parser.add_argument("--cw", type=float, help="species constant CW")
    parser.add_argument("--ch", type=float, help=f"temperature term CH (default {UNIVERSAL_CH})")
    parser.add_argument("--cq", type=float, help=f"temperature term CQ (default {UNIVERSAL_CQ})")
    parser.add_argument("--initial", type=float, required=True, help="initial viability, %%")
    parser.add_argument("--moisture", type=float, required=True, help="seed moisture, %% f.w.")
    parser.add_argument("--temperature", type=float, required=True, help="storage °C")
    parser.add_argument("--days", type=float, required=True, help="days of storage")
    parser.add_argument("--threshold", type=float, help="also give the days until this %%")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--list-species", action="store_true", help=argparse.SUPPRESS)
    return parser


def _constants(args: argparse.Namespace) -> tuple[SpeciesConstants, str]:
    if args.species is not None:
        if args.ke is not None or args.cw is not None:
            raise ViabilityError("species", "give either --species or --ke/--cw, not both")
        row = find_species(args.species)
        if row is None:
            known = ", ".join(r.name for r in species_table())
            raise ViabilityError("species", f"{args.species!r} is not in the table ({known})")
        return row.constants, row.citation
    if args.ke is None or args.cw is None:
        raise ViabilityError("ke", "give --ke and --cw, or --species")
    if (args.ch is None) != (args.cq is None):
        raise ViabilityError("ch", "give both --ch and --cq, or neither")
    ch = UNIVERSAL_CH if args.ch is None else args.ch
    cq = UNIVERSAL_CQ if args.cq is None else args.cq
    source = "given" if args.ch is not None else "universal CH, CQ (Dickie et al. 1990)"
    return SpeciesConstants(ke=args.ke, cw=args.cw, ch=ch, cq=cq), source


def run(argv: list[str], out: TextIO) -> int:
    args = build_parser().parse_args(argv)
    constants, source = _constants(args)
    storage = Storage(moisture_percent=args.moisture, temperature_celsius=args.temperature)
    prediction = predict(constants, initial_percent=args.initial, storage=storage, days=args.days)
    result: dict[str, object] = {
        "viability_percent": round(prediction.viability_percent, 4),
        "sigma_days": round(prediction.sigma_days, 4),
        "initial_percent": args.initial,
        "moisture_percent": args.moisture,
        "temperature_celsius": args.temperature,
        "days": args.days,
        "constants": {
            "ke": constants.ke,
            "cw": constants.cw,
            "ch": constants.ch,
            "cq": constants.cq,
        },
        "source": source,
        "extrapolated": prediction.extrapolated,
    }
    if args.threshold is not None:
        result["threshold_percent"] = args.threshold
        result["days_until_threshold"] = round(
            days_until(
                constants,
                initial_percent=args.initial,
                threshold_percent=args.threshold,
                storage=storage,
            ),
            1,
        )
    if args.json:
        out.write(json.dumps(result) + "\n")
        return 0
    out.write(
        f"Predicted viability after {args.days:g} days: {prediction.viability_percent:.1f} %\n"
        f"sigma (days to lose one probit): {prediction.sigma_days:.1f}\n"
        f"constants: KE {constants.ke:g}, CW {constants.cw:g}, CH {constants.ch:g}, "
        f"CQ {constants.cq:g} ({source})\n"
    )
    if "days_until_threshold" in result:
        out.write(f"Days until {args.threshold:g} %: {result['days_until_threshold']}\n")
    if prediction.extrapolated:
        out.write("Warning: storage outside 5-25 % moisture or -20-90 °C; extrapolated.\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv, sys.stdout)
    except ViabilityError as error:
        sys.stderr.write(f"{PROG}: error: {error}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
