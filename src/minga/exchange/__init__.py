"""The exchange: a tamper-evident mutual-credit ledger between organizations, trade
agreements settled on it, and rounds of multilateral clearing of debts.

May import ``minga.core`` (ledger, clearing, barter), ``minga.common``, ``minga.people``,
and the registry's and market's services and selectors.
"""
