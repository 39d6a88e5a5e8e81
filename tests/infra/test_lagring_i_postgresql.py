"""Files in PostgreSQL (infra/storage.py): what every node reads is what was written, once and for all."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from infra.models import LagretFil
from infra.storage import PostgresStorage

pytestmark = pytest.mark.django_db


def test_standardlageret_er_postgresql_og_har_ingen_lokal_sti():
    assert isinstance(default_storage, PostgresStorage)
    navn = default_storage.save("dokumenter/2026/04/x.pdf", ContentFile(b"%PDF-1.7 indhold"))
    with pytest.raises(NotImplementedError):
        default_storage.path(navn)  # nothing on a node's disk


def test_en_gemt_fil_laeses_uaendret_med_sin_sha256():
    data = bytes(range(256)) * 1000
    navn = default_storage.save("bilag/2026/04/a.pdf", ContentFile(data))
    with default_storage.open(navn) as f:
        assert f.read() == data
    assert default_storage.size(navn) == len(data)
    assert LagretFil.objects.get(navn=navn).sha256 == hashlib.sha256(data).hexdigest()


def test_samme_navn_to_gange_overskriver_aldrig_den_foerste():
    foerste = default_storage.save("dokumenter/2026/04/d.pdf", ContentFile(b"foerste"))
    anden = default_storage.save("dokumenter/2026/04/d.pdf", ContentFile(b"anden"))
    assert foerste == "dokumenter/2026/04/d.pdf" and anden != foerste
    assert default_storage.open(foerste).read() == b"foerste"
    assert default_storage.listdir("dokumenter/2026/04") == (
        [],
        sorted([foerste, anden][i].rsplit("/", 1)[1] for i in (0, 1)),
    )


def test_databasen_afviser_at_aendre_en_gemt_fil():
    navn = default_storage.save("dokumenter/2026/04/u.pdf", ContentFile(b"udstedt"))
    with pytest.raises(DatabaseError, match="kan ikke ændres"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE infra_lagretfil SET indhold = %s WHERE navn = %s", [b"forfalsket", navn])
    with pytest.raises(ValueError, match="kan ikke ændres"):
        default_storage.open(navn, "wb")
    assert default_storage.open(navn).read() == b"udstedt"


def test_databasen_afviser_en_sha256_der_ikke_passer_til_indholdet():
    with pytest.raises(IntegrityError), transaction.atomic():
        LagretFil.objects.create(navn="x/forkert.pdf", indhold=b"abc", stoerrelse=3, sha256="0" * 64)


def test_en_fil_skrevet_i_en_transaktion_der_rulles_tilbage_findes_ikke():
    with pytest.raises(RuntimeError), transaction.atomic():
        navn = default_storage.save("dokumenter/2026/04/r.pdf", ContentFile(b"halvt"))
        assert default_storage.exists(navn)
        raise RuntimeError("the worker dies before commit")
    assert not default_storage.exists("dokumenter/2026/04/r.pdf")


def test_sletning_fjerner_filen():
    navn = default_storage.save("ankepakker/2026/04/k.zip", ContentFile(b"PK"))
    default_storage.delete(navn)
    assert not default_storage.exists(navn)
    with pytest.raises(FileNotFoundError):
        default_storage.open(navn)


def test_opgradering_kopierer_filerne_fra_disken_en_gang(tmp_path):
    media, outbox = tmp_path / "media", tmp_path / "outbox"
    (media / "dokumenter" / "2025" / "03").mkdir(parents=True)
    (media / "dokumenter" / "2025" / "03" / "abc.pdf").write_bytes(b"%PDF gammel")
    outbox.mkdir()
    (outbox / "abc.json").write_text("{}")
    ud = io.StringIO()
    call_command("filer_til_databasen", media=media, outbox=outbox, stdout=ud)
    call_command("filer_til_databasen", media=media, outbox=outbox, stdout=ud)  # a second run copies nothing
    assert ud.getvalue().splitlines() == [
        "2 filer kopieret, 0 fandtes allerede.",
        "0 filer kopieret, 2 fandtes allerede.",
    ]
    assert default_storage.open("dokumenter/2025/03/abc.pdf").read() == b"%PDF gammel"
    assert default_storage.open("digitalpost/udbakke/abc.json").read() == b"{}"
    (media / "dokumenter" / "2025" / "03" / "abc.pdf").write_bytes(b"%PDF aendret")
    with pytest.raises(CommandError, match="andet indhold"):
        call_command("filer_til_databasen", media=media, stdout=ud)
    assert default_storage.open("dokumenter/2025/03/abc.pdf").read() == b"%PDF gammel"
