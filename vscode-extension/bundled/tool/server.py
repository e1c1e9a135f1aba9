"""Starts the dbdsl language server that ships in this extension, with the user's Python (3.11 or newer).

The server's Python code and its pure-Python dependencies are in ../libs (filled when the extension is
packaged); they go first on sys.path, so nothing needs to be installed for this interpreter."""

import os
import sys

if sys.version_info < (3, 11):
    sys.stderr.write("dbdsl needs Python 3.11 or newer; this is %d.%d\n" % sys.version_info[:2])
    sys.exit(2)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs"))

from dbdsl.cli import main  # noqa: E402  (after the bundled libraries are on the path)

sys.exit(main(["serve", *sys.argv[1:]]))
