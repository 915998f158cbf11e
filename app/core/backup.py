"""Consistent online backup of the database and the stored files, and restore into an empty instance.

SQLite is copied with SQLite's online backup API (a consistent snapshot while the app runs);
PostgreSQL with pg_dump (custom format). Stored files go into a tar archive. A manifest records
what was taken, the schema revision and checksums, and restore verifies them before writing.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

MANIFEST = "manifest.json"


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


def backup(engine: Engine, storage_dir: Path, target: Path) -> dict:
    """Write a backup into the new directory ``target``; returns the manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} finns redan och är inte tom.")
    target.mkdir(parents=True, exist_ok=True)
    url = engine.url
    if url.get_backend_name() == "sqlite":
        db_file = target / "database.sqlite"
        source = sqlite3.connect(url.database)
        dest = sqlite3.connect(db_file)
        with dest:
            source.backup(dest)  # consistent snapshot, readers and writers may go on
        dest.close()
        source.close()
    elif url.get_backend_name() == "postgresql":
        db_file = target / "database.pgdump"
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={db_file}",
                        url.set(drivername="postgresql").render_as_string(hide_password=False)],
                       check=True, timeout=3600)
    else:
        raise BackupError(f"Databastypen {url.get_backend_name()} stöds inte för backup.")
    files = target / "files.tar"
    with tarfile.open(files, "w") as archive:
        if storage_dir.exists():
            archive.add(storage_dir, arcname="files")
    manifest = {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "database": url.get_backend_name(),
        "schema_revision": _revision(engine),
        "database_file": db_file.name, "database_sha256": _sha256(db_file),
        "files_sha256": _sha256(files),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(engine: Engine, storage_dir: Path, source: Path) -> dict:
    """Restore ``source`` into an empty database and an empty storage directory."""
    manifest = json.loads((source / MANIFEST).read_text())
    db_file, files = source / manifest["database_file"], source / "files.tar"
    if _sha256(db_file) != manifest["database_sha256"] or _sha256(files) != manifest["files_sha256"]:
        raise BackupError("Säkerhetskopian är skadad: kontrollsumman stämmer inte.")
    with engine.connect() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        # nosec B608: the table names come from the schema inspector, never from input
        if any(conn.execute(text(f'SELECT 1 FROM "{t}" LIMIT 1')).first() for t in tables):  # nosec B608
            raise BackupError("Databasen är inte tom; återläsning görs bara till en tom instans.")
    if storage_dir.exists() and any(storage_dir.rglob("*.*")):
        raise BackupError(f"Filkatalogen {storage_dir} är inte tom.")
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
        for member in archive.getmembers():  # only plain files and folders under files/
            if not (member.isfile() or member.isdir()) or not member.name.startswith("files") or ".." in member.name:
                raise BackupError(f"Otillåten post i arkivet: {member.name}")
        archive.extractall(storage_dir.parent, filter="data")
    extracted = storage_dir.parent / "files"
    if extracted != storage_dir and extracted.exists():
        for item in extracted.iterdir():
            shutil.move(str(item), storage_dir / item.name)
        extracted.rmdir()
    return manifest
