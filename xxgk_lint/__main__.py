from xxgk_lint.linter.cli import main

main()
