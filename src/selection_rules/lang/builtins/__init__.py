"""The built-in functions of the case scope, by topic.

Generic ones, which any procedure may use: steps and history (`steps`), people and posts
(`people`), dates and working days (`dates`), counting and lists (`lists`), scores and
ranking (`scores`), records and documents (`records`). Those that only one county's rules
use are apart, under `county/`. `lang.case_functions.make_functions` joins them into the
one table an expression is compiled against.
"""
