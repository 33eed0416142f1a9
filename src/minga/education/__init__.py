"""Education: the federation's institute and schools, courses, cohorts, enrolment with a
wait-list, attendance recorded offline, completion rules and certificates anyone can verify.

May import ``minga.common``, ``minga.core.education`` and, of other apps, only their
``services``, ``selectors`` and ``types`` (the registry's roles answer who coordinates a
school). Its decisions (completion, attendance merging, the signed certificate form) are in
the pure core ``minga.core.education``.
"""
