import sys

from modpy_compat.cli import main

sys.exit(main())
