from selection_rules.program import main

main()
