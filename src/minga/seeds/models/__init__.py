from .accessions import Accession, RiskTally, SampleStatus
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
    "RiskTally",
    "SampleStatus",
    "SeedBank",
    "SeedRequest",
    "Settlement",
]
