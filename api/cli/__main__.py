"""``python -m api.cli``: the ``baomi-kg`` command."""

from api.cli.main import main

raise SystemExit(main())
