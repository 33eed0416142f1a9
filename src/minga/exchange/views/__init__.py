"""Pages of the exchange, one module per aggregate: :mod:`.ledger` (home, accounts,
paying, units), :mod:`.agreements`, :mod:`.clearing`, :mod:`.barter` and :mod:`.dashboard`
(the economic commission's figures, pictures and CSV files). Every form works without
JavaScript; amounts are written with ``minga.common.money``."""
