"""An import-linter contract type of Minga's: domain apps meet only at their interfaces.

``lint-imports`` (run by ``make test``) loads it through ``contract_types`` in
``pyproject.toml``. For every import from one listed app into another, the imported module
must be one of the other app's interface modules (``interfaces``: module name patterns such
as ``minga.*.services``); anything else (models, views, forms, internals) is a violation.
Imports under ``if TYPE_CHECKING:`` are left out by the configuration, so annotations may
name another app's models while code never queries them.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _app_of(module: str, apps: list[str]) -> str | None:
    for app in apps:
        if module == app or module.startswith(app + "."):
            return app
    return None


class InterfacesContract(Contract):
    type_name = "interfaces"

    apps = fields.ListField(subfield=fields.StringField())
    interfaces = fields.ListField(subfield=fields.StringField())
    exempt_importers = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        apps = [str(app) for app in self.apps]  # type: ignore[attr-defined]
        interfaces = [str(pattern) for pattern in self.interfaces]  # type: ignore[attr-defined]
        exempt = [str(pattern) for pattern in (self.exempt_importers or [])]  # type: ignore[attr-defined]
        violations: list[dict[str, object]] = []
        for importer in sorted(graph.modules):
            source_app = _app_of(importer, apps)
            if source_app is None or any(fnmatchcase(importer, p) for p in exempt):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target_app = _app_of(imported, apps)
                if target_app is None or target_app == source_app:
                    continue
                if any(
                    fnmatchcase(imported, pattern) or fnmatchcase(imported, pattern + ".*")
                    for pattern in interfaces
                ):
                    continue
                lines = [
                    detail["line_number"]
                    for detail in graph.get_import_details(importer=importer, imported=imported)
                ]
                violations.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            output.print_error(
                f"{violation['importer']} -> {violation['imported']} "
                f"(l. {', '.join(str(line) for line in violation['lines'])}): "
                "not one of that app's interface modules",
                bold=False,
            )
            output.new_line()
