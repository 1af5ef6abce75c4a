"""The lint finding (lint/findings.py) each problem found while a procedure loads is,
given where the problem is raised, so that lint need not tell problems apart by field
or message."""

SCHEMA = "L100"
UNKNOWN_STAGE = "L101"
UNKNOWN_EVENT = "L102"
UNKNOWN_TAG = "L103"
EXPRESSION = "L104"
PARAMETER = "L105"
EXTENDS = "L106"
ID = "L107"
STRUCTURE = "L108"
RULE_ID = "L110"
