"""Running files: finding rule files, telling what kind a file is, loading it into the
model, preparing its procedure (Machine and compiled checks), replaying it and locating
what was found.
"""
