"""A real PostgreSQL 15 server for the API suite, when it runs against depot on PostgreSQL
(DEPOT_TEST_STORE=postgres): initialised in a temporary directory, listening on 127.0.0.1 and a
free port only, trusting the user `depot`. initdb refuses to run as root, so as root the server
runs as `nobody`. The binaries come from $DEPOT_PG_BINDIR, else Debian's postgresql-15 package.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BINDIR = Path(os.environ.get("DEPOT_PG_BINDIR", "/usr/lib/postgresql/15/bin"))


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self, settings=""):
        """`settings`: more server options, as `-c name=value ...` (the benchmark's)."""
        self.dir = Path(tempfile.mkdtemp(prefix="depot-api-pg-"))
        self.user = "nobody" if os.geteuid() == 0 else None
        if self.user:
            account = pwd.getpwnam(self.user)
            os.chown(self.dir, account.pw_uid, account.pw_gid)
        self.port = _free_port()
        self.databases = 0
        try:
            self._run("initdb", "-D", str(self.dir / "data"), "-U", "depot", "--auth=trust",
                      "--no-locale", "-E", "UTF8")
            self._run("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "server.log"),
                      "-w", "-o",
                      f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                      f"-c max_connections=500 {settings}", "start")
        except BaseException:
            self.stop()
            raise

    def _run(self, program, *args):
        proc = subprocess.run([str(BINDIR / program), *args], capture_output=True, text=True,
                              user=self.user, cwd=self.dir, timeout=120)
        if proc.returncode != 0:
            log = self.dir / "server.log"
            raise RuntimeError(f"{program} exited {proc.returncode}: {proc.stdout}{proc.stderr}"
                               + (log.read_text(errors="replace") if log.exists() else ""))

    def create_database(self):
        """A new, empty database; answers its URI."""
        self.databases += 1
        name = f"api_{self.databases}"
        subprocess.run([str(BINDIR.parent / "bin" / "createdb"), "-h", "127.0.0.1", "-p",
                        str(self.port), "-U", "depot", name], check=True, capture_output=True,
                       timeout=60)
        return f"postgresql://depot@127.0.0.1:{self.port}/{name}"

    def stop(self):
        if (self.dir / "data" / "postmaster.pid").exists():
            subprocess.run([str(BINDIR / "pg_ctl"), "-D", str(self.dir / "data"), "-m",
                            "immediate", "stop"], capture_output=True, user=self.user,
                           timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)
