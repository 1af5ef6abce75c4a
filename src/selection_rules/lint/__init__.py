"""`selection-rules lint`: what a procedure's file can be found to get wrong before any
case is checked.
"""
