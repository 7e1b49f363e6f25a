"""``python -m glassnet``: the console script's entry (:mod:`glassnet_entry`), stop signals
handled from here on (one line, exit code 128 + the signal's number)."""

import sys

from glassnet_entry import main

sys.exit(main())
