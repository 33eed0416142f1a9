"""The table of published species constants shipped with the project.

``species_constants.csv`` holds one row per species with its KE, CW, CH and CQ and the
citation they come from. Only constants found in the literature are listed; a species
without a row has no prediction (never a guess). Rows whose source gave only KE and CW
carry the universal CH and CQ of Dickie et al. (1990) and say so in their citation.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from minga.core.viability.equation import SpeciesConstants


@dataclass(frozen=True)
class SpeciesRow:
    genus: str
    species: str
    common_name: str
    constants: SpeciesConstants
    citation: str

    @property
    def name(self) -> str:
        return f"{self.genus} {self.species}"


@cache
def species_table() -> tuple[SpeciesRow, ...]:
    text = resources.files(__package__).joinpath("species_constants.csv").read_text("utf-8")
    rows = []
    for record in csv.DictReader(io.StringIO(text)):
        rows.append(
            SpeciesRow(
                genus=record["genus"],
                species=record["species"],
                common_name=record["common_name"],
                constants=SpeciesConstants(
                    ke=float(record["ke"]),
                    cw=float(record["cw"]),
                    ch=float(record["ch"]),
                    cq=float(record["cq"]),
                ),
                citation=record["citation"],
            )
        )
    return tuple(rows)


def find_species(name: str) -> SpeciesRow | None:
    """The row for "Genus species" or a common name, case-insensitively."""
    wanted = " ".join(name.split()).casefold()
    for row in species_table():
        if wanted in (row.name.casefold(), row.common_name.casefold()):
            return row
    return None


def constants_for(genus: str, species: str) -> SpeciesRow | None:
    return find_species(f"{genus} {species}")
