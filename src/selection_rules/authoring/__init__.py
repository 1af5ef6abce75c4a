"""The rule authors' toolkit: YAML rule tests and their coverage, the rule catalogue,
traceability to the sources, the normalized seeds and the JSON Schemas.
"""
