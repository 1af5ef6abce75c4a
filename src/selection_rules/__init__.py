"""selection-rules: replay cadre-selection case files through procedures written as YAML."""

__version__ = "0.1.0"
