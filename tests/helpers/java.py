"""Java libraries from Debian packages: the classpath of an installed package and the Java packages it depends on,
for the tests that run a Java tool (Jena's rsparql, the OWL API's profile check)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

JAVA_DIR = Path("/usr/share/java")
_SLF4J = ("slf4j-api.jar", "slf4j-nop.jar")


def debian_closure(package: str) -> list[str]:
    """The package and the installed Java library packages it depends on, transitively."""
    seen: list[str] = []
    todo = [package]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        query = subprocess.run(
            ["dpkg-query", "-W", "-f=${db:Status-Status}\t${Depends}", name], capture_output=True, text=True
        )
        status, _, depends = query.stdout.partition("\t")
        if query.returncode != 0 or status != "installed":  # an alternative dependency that is not installed
            continue
        seen.append(name)
        for dep in depends.split(","):
            dep_name = re.split(r"[\s(:|]", dep.strip(), maxsplit=1)[0]
            if dep_name.startswith("lib") and dep_name.endswith("-java"):
                todo.append(dep_name)
    return seen


def debian_classpath(package: str, *, leave_out: tuple[str, ...] = ()) -> list[str]:
    """The jars of ``package`` and its Java dependencies under /usr/share/java, without those whose name holds one
    of ``leave_out``, and with one SLF4J binding (the no-op one): Debian's libslf4j-java ships several that refuse
    to load together."""
    jars: set[Path] = set()
    for name in debian_closure(package):
        listing = subprocess.run(["dpkg", "-L", name], capture_output=True, text=True, check=True).stdout
        jars |= {Path(f).resolve() for f in listing.split() if f.startswith(str(JAVA_DIR)) and f.endswith(".jar")}
    skipped = ("slf4j", "log4j", *leave_out)
    classpath = [str(j) for j in sorted(jars) if not any(s in j.name for s in skipped)]
    return classpath + [str(JAVA_DIR / n) for n in _SLF4J if (JAVA_DIR / n).is_file()]
