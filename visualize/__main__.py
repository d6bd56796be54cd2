"""``python -m visualize``: see ``visualize.cli``; ``python -m visualize lab``: the live lab
(``visualize.lab.cli``). ``lab`` as the first word always starts the lab: a formula that is only
the name lab is written ``(lab)``."""

import sys

if sys.argv[1:2] == ["lab"]:
    from visualize.lab.cli import main

    raise SystemExit(main(sys.argv[2:]))

from visualize.cli import main  # noqa: E402

raise SystemExit(main())
