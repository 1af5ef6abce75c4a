"""Exit 1 unless the packages installed are exactly those requirements.lock names.

pip installs from the lock as constraints: a dependency added to pyproject.toml but not
to the lock would still install, at whatever version is newest that day. This makes
that a failure, so CI never tests a set of versions that README's set-up would not give.
"""

import re
import subprocess
import sys
from pathlib import Path


def _canonical(line: str) -> str:
    name, _, version = line.strip().partition("==")
    return re.sub(r"[-_.]+", "-", name).lower() + "==" + version


def main() -> int:
    lock = {_canonical(line) for line in Path("requirements.lock").read_text().splitlines()
            if line.strip() and not line.startswith("#")}
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--all"],
        capture_output=True, text=True, check=True).stdout.splitlines()
    installed = {_canonical(line) for line in frozen
                 if not re.match(r"(pip|setuptools|wheel)==", line)}
    if installed == lock:
        return 0
    for line in sorted(installed - lock):
        print(f"installed but not in requirements.lock: {line}", file=sys.stderr)
    for line in sorted(lock - installed):
        print(f"in requirements.lock but not installed: {line}", file=sys.stderr)
    print("Refresh the lock as README says (Dependencies and the lock).", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
