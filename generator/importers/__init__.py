"""Importers: official framework catalogues (OSCAL, NIST CPRT) -> frameworks/<id>.yaml data."""

from generator.importers.cprt import import_cprt
from generator.importers.dump import dump_crosswalk, dump_framework
from generator.importers.oscal import import_oscal

__all__ = ["dump_crosswalk", "dump_framework", "import_cprt", "import_oscal"]
