"""Knowledge base generator: YAML content -> validated knowledge base -> MkDocs Material site.

Pipeline stages, one module each: load -> model -> link -> render -> build.
"""
