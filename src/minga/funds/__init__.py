"""Solidarity funds: budgets, pledges, grants and expenses, all on the exchange's ledger.

A fund belongs to an organization, holds a designated account of the ledger in one unit
(and a second one standing for money outside Minga), and moves money only as ledger
transfers: contributions received, grants to organizations, expenses paid outside. Its
balance is its account's balance; there is no second bookkeeping. Spending follows the
fund's approval rule (``minga.core.funds``).

May import: ``minga.core``, ``minga.common``, and the ``services``, ``selectors`` and
``types`` of ``minga.registry``, ``minga.exchange`` and ``minga.assemblies``.
"""
