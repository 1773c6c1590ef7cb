"""``python -m taglines``: see :mod:`taglines.cli`."""

from .cli import main

raise SystemExit(main())
