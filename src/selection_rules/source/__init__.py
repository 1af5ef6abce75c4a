"""Reading the user's files: opening inputs, decoding, safe YAML and JSON, the `Document`
that remembers every line, the path notation, and pydantic's errors turned into located
problems.
"""
