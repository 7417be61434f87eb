"""A knowledge base generator: structured YAML content in, a searchable MkDocs Material site,
printable checklists and client packs out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("msp-kb-generator")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
