"""The safe expression language of rule checks and the functions it may call, grouped by
topic (case events, records, official working days).
"""
