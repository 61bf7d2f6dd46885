"""``python -m graph`` runs the ``seckg`` command line."""

from graph.cli import main

main()
