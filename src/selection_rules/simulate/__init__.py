"""`selection-rules simulate`: a procedure walked step by step, interactively or by script."""
