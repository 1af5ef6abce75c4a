from selection_rules.cli import main

main()
