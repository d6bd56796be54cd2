"""``python -m visualize``: see ``visualize.cli``."""

from visualize.cli import main

raise SystemExit(main())
