"""``python -m graph`` runs the ``seckg`` command line."""

from graph.console import main

main()
