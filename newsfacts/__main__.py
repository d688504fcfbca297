from newsfacts.cli import main

main()
