"""``python -m tests.conformance``: see runner.py."""
import sys

from tests.conformance.runner import main

sys.exit(main())
