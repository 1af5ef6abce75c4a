"""What the files may say, as pydantic models: the case file, the records, the procedure
language, and the exact quantities they hold.
"""
