"""Drawing what was found: the text report a person reads, the JSON report, trace and
sources, and writing output files.
"""
