"""`selection-rules diagram`: what a procedure diagram shows, and drawing it as Mermaid,
DOT, SVG or PNG.
"""
