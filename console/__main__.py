"""``python -m console`` is the same as the ``parloir`` command."""

from console.cli import main

raise SystemExit(main())
