"""The bench harness reads its tools right: a timeout is an error, a list that never answers is a MISS,
and the growth table judges flatness and shows the Open Zaak anchor (bench/belastning.py, bench/full.py)."""

from bench.belastning import parse_wrk, replaybar
from bench.full import vaekst_tabel

WRK_MED_TIMEOUTS = """Running 5s test @ http://127.0.0.1:40000
  2 threads and 16 connections
  Latency Distribution
     50%   96.00ms
     75%  120.00ms
     90%  200.00ms
     99%    1.20s
  812 requests in 5.01s, 3.1MB read
  Socket errors: connect 0, read 0, write 0, timeout 4
  Non-2xx or 3xx responses: 2
Requests/sec:    162.08
"""

WRK_INTET_SVAR = """Running 5s test @ http://127.0.0.1:40000
  1 threads and 1 connections
  0 requests in 5.01s, 0.00B read
  Socket errors: connect 0, read 0, write 0, timeout 1
Requests/sec:      0.00
"""


def test_wrk_timeouts_and_non_2xx_are_errors():
    res = parse_wrk(WRK_MED_TIMEOUTS)
    assert res == {"p50": 96.0, "p99": 1200.0, "rps": 162.08, "n": 812, "fejl": 6}


def test_a_list_that_never_answers_has_no_median():
    res = parse_wrk(WRK_INTET_SVAR)
    assert res["p50"] is None and res["n"] == 0 and res["fejl"] == 1


def test_replay_leaves_out_transaction_control():
    captured = [{"sql": "SAVEPOINT s1"}, {"sql": "SELECT 1"}, {"sql": "INSERT INTO x VALUES (1)"},
                {"sql": "RELEASE SAVEPOINT s1"}]  # fmt: skip
    assert replaybar(captured) == ["SELECT 1", "INSERT INTO x VALUES (1)"]


def _r(navn, vaerdi):
    return {"maaling": navn, "vaerdi": vaerdi, "enhed": "ms"}


def test_growth_table_judges_lists_flat_between_50k_and_200k_and_shows_open_zaak():
    data = {
        50_000: {"list frister c1 p50": _r("list frister c1 p50", 10.0), "list forløb c16 p50": _r("", 100.0),
                 "API forløb detail GET c1 p50": _r("", 10.0)},
        200_000: {"list frister c1 p50": _r("list frister c1 p50", 40.0), "list forløb c16 p50": _r("", 110.0),
                  "API forløb detail GET c1 p50": _r("", 30.0)},
    }  # fmt: skip
    meta = {50_000: {"generering_s": 100.0, "db_bytes": 2**30, "total_s": 600.0}, 200_000: {}}
    linjer = {line.split("|")[1].strip(): line for line in vaekst_tabel([50_000, 200_000], data, meta).splitlines()
              if line.startswith("| ")}  # fmt: skip
    assert "MISS" in linjer["list frister c1 p50"] and "4.00×" in linjer["list frister c1 p50"]
    assert "140–240 ms" in linjer["list frister c1 p50"]
    assert "pass" in linjer["list forløb c16 p50"] and "240–390 ms" in linjer["list forløb c16 p50"]
    assert "pass" not in linjer["API forløb detail GET c1 p50"] and "MISS" not in linjer["API forløb detail GET c1 p50"]
    assert "1.0 GB" in linjer["database size"]
