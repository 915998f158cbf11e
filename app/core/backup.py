"""Consistent online backup of the database and the stored files, and restore into an empty instance.

SQLite is copied with SQLite's online backup API (a consistent snapshot while the app runs);
PostgreSQL with pg_dump (custom format). Stored files go into a tar archive. A manifest records
what was taken, the schema revision and checksums, and restore verifies them before writing.

A backup holds personal data: its directory is created 0700 and every file in it 0600, whatever
the umask. Restore writes the stored files straight into the (empty or new) storage directory and
nowhere else: nothing beside it is created, moved or removed.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

MANIFEST = "manifest.json"
ARCHIVE_ROOT = "files"  # the storage directory's name inside files.tar
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


class BackupError(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 (O_EXCL: never an existing file), so that what is
    written into it is never readable by others, not even for a moment."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    os.chmod(path, PRIVATE_FILE)  # the umask may have taken bits away; never adds any
    return path


def backup(engine: Engine, storage_dir: Path, target: Path, *, audit_key_id: str | None = None) -> dict:
    """Write a backup into the new directory ``target``; returns the manifest. ``audit_key_id``
    names (never reveals) the audit log's key, which is not in the backup: a restore needs it."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} finns redan och är inte tom.")
    target.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    os.chmod(target, PRIVATE_DIR)
    url = engine.url
    if url.get_backend_name() == "sqlite":
        db_file = _private_file(target / "database.sqlite")
        source = sqlite3.connect(url.database)
        dest = sqlite3.connect(db_file)
        with dest:
            source.backup(dest)  # consistent snapshot, readers and writers may go on
        dest.close()
        source.close()
    elif url.get_backend_name() == "postgresql":
        db_file = _private_file(target / "database.pgdump")
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={db_file}",
                        url.set(drivername="postgresql").render_as_string(hide_password=False)],
                       check=True, timeout=3600)
    else:
        raise BackupError(f"Databastypen {url.get_backend_name()} stöds inte för backup.")
    os.chmod(db_file, PRIVATE_FILE)
    files = _private_file(target / "files.tar")
    with tarfile.open(files, "w") as archive:
        if storage_dir.exists():
            archive.add(storage_dir, arcname=ARCHIVE_ROOT)
    manifest = {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "database": url.get_backend_name(),
        "schema_revision": _revision(engine),
        "database_file": db_file.name, "database_sha256": _sha256(db_file),
        "files_sha256": _sha256(files),
        "audit_key_id": audit_key_id,
    }
    _private_file(target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(engine: Engine, storage_dir: Path, source: Path, *, audit_key_id: str | None = None) -> dict:
    """Restore ``source`` into an empty database and an empty storage directory. The instance must
    have the audit key the backup was made with (``audit_key_id``), or the log could not be verified."""
    manifest = json.loads((source / MANIFEST).read_text())
    if manifest.get("audit_key_id") and audit_key_id and manifest["audit_key_id"] != audit_key_id:
        raise BackupError("Säkerhetskopian gjordes med en annan nyckel för granskningsloggen än den här instansen "
                          "har. Kopiera instance/audit_key från den gamla instansen (eller sätt TVIST_AUDIT_KEY "
                          "till samma värde) och försök igen.")
    db_file, files = source / manifest["database_file"], source / "files.tar"
    if _sha256(db_file) != manifest["database_sha256"] or _sha256(files) != manifest["files_sha256"]:
        raise BackupError("Säkerhetskopian är skadad: kontrollsumman stämmer inte.")
    with engine.connect() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        # nosec B608: the table names come from the schema inspector, never from input
        if any(conn.execute(text(f'SELECT 1 FROM "{t}" LIMIT 1')).first() for t in tables):  # nosec B608
            raise BackupError("Databasen är inte tom; återläsning görs bara till en tom instans.")
    if storage_dir.exists() and (not storage_dir.is_dir() or any(storage_dir.iterdir())):
        raise BackupError(f"Filkatalogen {storage_dir} är inte tom; återläsning görs bara till en tom katalog.")
    with tarfile.open(files) as archive:
        _checked_members(archive)  # refused before anything is written
    url = engine.url
    engine.dispose()
    if manifest["database"] == "sqlite":
        if url.get_backend_name() != "sqlite":
            raise BackupError("Säkerhetskopian är från SQLite men målet är inte SQLite.")
        for suffix in ("-wal", "-shm"):
            Path(url.database + suffix).unlink(missing_ok=True)
        shutil.copyfile(db_file, url.database)
    else:
        target = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={target}", str(db_file)],
                       check=True, timeout=3600)
    storage_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(files) as archive:
        # Straight into the storage directory: each member's name loses its "files/" prefix, and the
        # data filter refuses anything that would land outside it.
        archive.extractall(storage_dir, members=_checked_members(archive), filter=_into_storage)
    return manifest


def _checked_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The archive's files and folders under files/; anything else refuses the whole restore."""
    members = []
    for member in archive.getmembers():
        name = member.name
        inside = name == ARCHIVE_ROOT or name.startswith(ARCHIVE_ROOT + "/")
        if not (member.isfile() or member.isdir()) or not inside or ".." in Path(name).parts:
            raise BackupError(f"Otillåten post i arkivet: {name}")
        if name != ARCHIVE_ROOT:  # the root folder itself is the storage directory
            members.append(member)
    return members


def _into_storage(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo:
    relative = member.name[len(ARCHIVE_ROOT) + 1:]
    return tarfile.data_filter(member.replace(name=relative, deep=False), dest)
