"""Importers: official framework catalogues (OSCAL, NIST CPRT) -> frameworks/<id>.yaml data."""

from generator.features.frameworks.importers.cprt import import_cprt
from generator.features.frameworks.importers.dump import dump_crosswalk, dump_framework
from generator.features.frameworks.importers.oscal import import_oscal

__all__ = ["dump_crosswalk", "dump_framework", "import_cprt", "import_oscal"]
