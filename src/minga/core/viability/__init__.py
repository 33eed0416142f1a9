"""The seed bank's pure core: the Ellis & Roberts seed viability equation, the table of
published species constants it uses, and validation of FAO/Bioversity Multi-Crop Passport
Descriptors (MCPD v2.1) fields.

No Django, no Minga module outside ``minga.core``: the standard library (and NumPy/SciPy in
``vectorized``); dataclasses in, dataclasses out. The seeds app is the adapter that loads
lots and stores results.
"""
