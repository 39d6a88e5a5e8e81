"""The rows behind the API lists that ``bench/kommune.py`` does not generate: afgørelser, klager, aftaler.

Added to an existing bench municipality (``make bench`` calls :func:`sikr` before the list
measurements), all set-based and deterministic:

* one issued decision per forløb that has reached a decision (ressourceforløb, fleksjob,
  førtidspension, pension processing, afsluttet: ~50 % of forløb), plus a letter (``status=afsendt``)
  on every fifth forløb, so ``/afgoerelser/`` holds ~0.7 documents per forløb;
* a klage on every 20th decision, spread over the klage states;
* one agreement (``/aftaler/``) per forløb in the fleksjob state and one on every 10th other open
  forløb, submitted by the bench API client (a client sees only its own agreements).
"""

from __future__ import annotations

from bench.common import insert_select, masseindlaesning

KOMMUNE = "md5('bench-kommune')::uuid"
BESLUTTET = "('ressourceforloeb','fleksjob','foertidspension','foertidspension_behandling','afsluttet')"


def sikr(cur, klient_id: int) -> dict:
    """Generate the rows once (per database); point the agreements at the run's API client."""
    cur.execute("SELECT count(*) FROM decisions_dokument WHERE kommune_id = " + KOMMUNE)  # noqa: S608 - constant
    if not cur.fetchone()[0]:
        cur.execute("BEGIN")
        with masseindlaesning(cur, ("decisions_dokument", "decisions_klage", "flexjob_aftale")):
            _generer(cur, klient_id)
        cur.execute("COMMIT")
        cur.execute("VACUUM ANALYZE decisions_dokument")
        cur.execute("VACUUM ANALYZE decisions_klage")
        cur.execute("VACUUM ANALYZE flexjob_aftale")
    cur.execute("UPDATE flexjob_aftale SET klient_id = %s WHERE kommune_id = " + KOMMUNE, [klient_id])  # noqa: S608
    ud = {}
    for tabel in ("decisions_dokument", "decisions_klage", "flexjob_aftale"):
        cur.execute(f"SELECT count(*) FROM {tabel}")  # noqa: S608 - constant table names
        ud[tabel] = cur.fetchone()[0]
    return ud


def _generer(cur, klient_id: int) -> None:
    p = {"klient": klient_id}
    raekke = "row_number() OVER (ORDER BY f.id)"
    insert_select(cur, "decisions_dokument", {
        "id": "md5('bench-dok-' || f.id)::uuid", "forloeb_id": "f.id", "kommune_id": "f.kommune_id",
        "type": "CASE f.tilstand WHEN 'fleksjob' THEN 'fleksjob_visitation' WHEN 'foertidspension' THEN "
                "'foertidspension_tilkendelse' ELSE 'ressourceforloeb_bevilling' END",
        "status": "'udstedt'", "sagsnummer": "'BENCH-' || left(f.id::text, 8)", "titel": "'Afgørelse (bench)'",
        "tekst": "'Bench-afgørelse.'", "udstedt": "coalesce(f.afgoerelse_dato, f.oprettet::date + 70)::timestamptz",
        "udstedt_af": "'Bench Sagsbehandler'", "oprettet": "coalesce(f.afgoerelse_dato, f.oprettet::date + 70)"
                                                          "::timestamptz",
        "sagsbehandler_id": "f.sagsbehandler_id",
    }, f"cases_forloeb f WHERE f.kommune_id = {KOMMUNE} AND f.tilstand IN {BESLUTTET}", p)  # fmt: skip
    insert_select(cur, "decisions_dokument", {
        "id": "md5('bench-brev-' || f.id)::uuid", "forloeb_id": "f.id", "kommune_id": "f.kommune_id",
        "type": "'indkaldelse_rehabiliteringsmoede'", "status": "'afsendt'",
        "sagsnummer": "'BENCH-' || left(f.id::text, 8)", "titel": "'Brev (bench)'", "tekst": "'Bench-brev.'",
        "udstedt": "f.oprettet + interval '30 days'", "udstedt_af": "'Bench Sagsbehandler'",
        "oprettet": "f.oprettet + interval '30 days'", "sagsbehandler_id": "f.sagsbehandler_id",
    }, f"cases_forloeb f WHERE f.kommune_id = {KOMMUNE} AND abs(hashtext('brev' || f.id)) %% 5 = 0", p)  # fmt: skip
    insert_select(cur, "decisions_klage", {
        "id": "md5('bench-klage-' || d.id)::uuid", "afgoerelse_id": "d.id", "forloeb_id": "d.forloeb_id",
        "modtaget_dato": "d.udstedt::date + 20", "kanal": "'digital_post'", "klagens_indhold": "'Bench-klage.'",
        "status": "(ARRAY['modtaget','fastholdt','sendt_til_ankestyrelsen','afgjort'])"
                  "[1 + abs(hashtext('ks' || d.id)) %% 4]",
        "oprettet": "d.udstedt + interval '20 days'",
    }, f"decisions_dokument d WHERE d.kommune_id = {KOMMUNE} AND d.status = 'udstedt' "
       "AND abs(hashtext('klage' || d.id)) %% 20 = 0", p)  # fmt: skip
    insert_select(cur, "flexjob_aftale", {
        "id": "md5('bench-aftale-' || f.id)::uuid", "kommune_id": "f.kommune_id", "klient_id": "%(klient)s",
        "type": "CASE WHEN f.tilstand = 'fleksjob' THEN 'fleksjob' ELSE 'virksomhedspraktik' END",
        "status": f"(ARRAY['modtaget','godkendt','godkendt','afvist'])[1 + ({raekke}) %% 4]",
        "borger_id": "f.borger_id", "virksomhed_cvr": "'12345678'", "virksomhed_navn": "'Bench ApS'",
        "start": "f.oprettet::date + 90", "timer_pr_uge": "15", "opgaver": "'Lager'", "formaal": "'Fleksjob'",
        "ekstern_reference": "'VITAS-' || left(f.id::text, 8)", "version": "1",
        "oprettet": "f.oprettet + interval '90 days'",
    }, f"cases_forloeb f WHERE f.kommune_id = {KOMMUNE} AND (f.tilstand = 'fleksjob' OR "
       "(f.tilstand <> 'afsluttet' AND abs(hashtext('aftale' || f.id)) %% 10 = 0))", p)  # fmt: skip
