from .accessions import Accession, SampleStatus
from .banks import SeedBank
from .lots import GerminationTest, Lot, Regeneration, RegenerationStatus
from .requests import RequestStatus, SeedRequest, Settlement

__all__ = [
    "Accession",
    "GerminationTest",
    "Lot",
    "Regeneration",
    "RegenerationStatus",
    "RequestStatus",
    "SampleStatus",
    "SeedBank",
    "SeedRequest",
    "Settlement",
]
