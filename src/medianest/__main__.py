"""Allow `python -m medianest`."""

from medianest.cli import main

main()
