"""Stand-in for ansible-test's get-pip bootstrap script, which is downloaded from a host that is not
reachable everywhere. ansible-test runs it inside a fresh venv created without pip, with pip-install
arguments plus get-pip's own --no-setuptools/--no-wheel flags; ensurepip provides pip offline.
"""

import ensurepip
import os
import subprocess
import sys

# ensurepip sets PIP_CONFIG_FILE=/dev/null in os.environ; the copy keeps pip.conf (index, cert) for the real install.
environment = dict(os.environ)
arguments = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
ensurepip.bootstrap(upgrade=True)
subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade", *arguments], env=environment)
