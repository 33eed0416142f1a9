"""FAO/Bioversity Multi-Crop Passport Descriptors v2.1 (MCPD): the fields, their code lists
and date forms, and validation of one passport row as a pure function.

No Django, no Minga module outside ``minga.core``: the standard library only. ISO 3166
country codes are passed in by the caller (the app takes them from django-countries).
"""
