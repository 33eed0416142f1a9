"""The library's pure core: quantities and units of agrifood formulas, scaling a formula to
another yield, and the differences between two versions of an item.

No Django, no Minga module outside ``minga.core``; dataclasses in, dataclasses out; exact
arithmetic with :class:`fractions.Fraction` (stored quantities are integers in thousandths).
"""
