"""The built knowledge base: counts, provenance, overrides, conflicts, determinism, and the command line."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot import paths
from bot.kb.build import build
from bot.kb.store import KnowledgeBase, KnowledgeBaseError

SERVICES = {"leshan": 34, "sichuan_list": 40, "sichuan_guide": 40, "dazhou": 40, "chuanyu": 12, "hubei": 28}


def test_service_counts_per_guide(kb: KnowledgeBase) -> None:
    counts = {key: sum(s.guide == key for s in kb.services.values()) for key in kb.guides}
    assert counts == SERVICES


def test_every_value_has_provenance(kb: KnowledgeBase) -> None:
    for table in ("fields", "contacts"):
        rows = kb.rows(f"select * from {table} where origin = 'source' and (line_start is null or line_end < line_start)")
        assert rows == [], table
    field = kb.rows("select f.* from fields f join services s on s.id = f.service_id "
                    "where s.guide = 'leshan' and s.name = '住院费用报销' and f.key = 'time_limit'")[0]
    lines = (paths.SOURCES / kb.guides["leshan"].file).read_text(encoding="utf-8").splitlines()
    span = "".join(lines[field["line_start"] - 1:field["line_end"]])
    assert "办理时限" in span and "9 个工作日" in span


def test_materials_are_lists(kb: KnowledgeBase) -> None:
    row = kb.rows("select f.items from fields f join services s on s.id = f.service_id where s.guide = 'leshan' "
                  "and s.name = '住院费用报销' and f.key = 'materials'", json_columns=("items",))[0]
    assert len(row["items"]) == 5
    assert any("出院记录" in item for item in row["items"])


def test_document_contacts_are_never_citizen_contacts(kb: KnowledgeBase) -> None:
    phones = {p for r in kb.rows("select consult, complaint from contacts", json_columns=("consult", "complaint"))
              for p in r["consult"] + r["complaint"]}
    documents = {r["phone"] for r in kb.rows("select phone from document_contacts")}
    assert documents == {"0838-2534490", "028-86523136"}
    assert not documents & phones


def test_list_and_guide_time_limit_conflicts_are_recorded(kb: KnowledgeBase) -> None:
    conflicts = {(r["service"], r["value"], r["other_value"])
                 for r in kb.rows("select * from conflicts where guide = 'sichuan_guide'")}
    assert ("门诊费用报销", "不超过30个工作日", "不超过20个工作日") in conflicts
    assert ("生育津贴支付", "不超过20个工作日", "不超过10个工作日") in conflicts
    assert len(conflicts) >= 6


def test_forms_named_differently_by_list_and_guide_are_conflicts(kb: KnowledgeBase) -> None:
    conflicts = {(r["guide"], r["service"], r["value"], r["other_value"])
                 for r in kb.rows("select * from conflicts where field = 'materials'")}
    assert ("dazhou", "医疗救助对象手工（零星）报销", "《医疗救助申请卡》", "《医疗救助申请表》") in conflicts
    assert not any(service == "生育津贴支付" for _, service, _, _ in conflicts)  # 达州 only adds a form


def test_guide_services_carry_the_list_codes(kb: KnowledgeBase) -> None:
    service = next(s for s in kb.services.values() if s.guide == "sichuan_guide" and s.name == "住院费用报销")
    assert service.codes["子项编码"] == "512036007002"


def test_misplaced_value_is_flagged_and_overridden(kb: KnowledgeBase) -> None:
    anomalies = kb.rows("select * from anomalies where guide = 'leshan' and kind = 'misplaced_value'")
    assert any(a["service"] == "医保电子凭证申领" for a in anomalies)
    applied = kb.rows("select * from overrides_applied where column = 'place'")
    assert applied and applied[0]["source_value"] == "即时办结" and applied[0]["value"] is None
    row = kb.rows("select c.* from contacts c join services s on s.id = c.service_id "
                  "where s.guide = 'leshan' and s.name = '医保电子凭证申领'")[0]
    assert row["origin"] == "override" and row["place"] is None and row["consult"] == '["0833-2406352"]'


def test_regions_use_the_guides_wording(kb: KnowledgeBase) -> None:
    regions = {r["area"]: r["region"] for r in kb.rows(
        "select distinct c.area, c.region from contacts c join services s on s.id = c.service_id "
        "where s.guide in ('leshan', 'dazhou')")}
    assert regions["峨边县"] == "四川省/乐山市/峨边县"
    assert regions["马边县"] == "四川省/乐山市/马边县"
    assert regions["渠县"] == "四川省/达州市/渠县"
    assert regions["市本级"] in ("四川省/乐山市", "四川省/达州市")


def test_build_is_deterministic(kb_path: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite"
    build(again)
    dump = lambda p: hashlib.sha256("\n".join(KnowledgeBase(p).db.iterdump()).encode()).hexdigest()  # noqa: E731
    assert dump(again) == dump(kb_path)


def test_missing_or_corrupt_knowledge_base_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="kb build|make setup"):
        KnowledgeBase(tmp_path / "absent.sqlite")
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"not a database at all" * 100)
    with pytest.raises(KnowledgeBaseError, match="kb build"):
        KnowledgeBase(corrupt)


def run_cli(kb_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"YIBAO_KB": str(kb_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "bot", "kb", *args], capture_output=True, text=True, env=env,
                          cwd=paths.ROOT, timeout=120)


def test_cli_lookup_prints_fields_contacts_and_source(kb_path: Path) -> None:
    done = run_cli(kb_path, "lookup", "住院报销", "乐山市/峨边县")
    assert done.returncode == 0, done.stderr
    assert "0833-5228371" in done.stdout and "出院记录" in done.stdout and "9 个工作日" in done.stdout.replace("9个", "9 个")
    assert "乐山市医疗保障经办政务服务事项办事指南" in done.stdout
    assert "0833-2128816" not in done.stdout  # 市中区's number


def test_cli_lookup_json_and_no_phone(kb_path: Path) -> None:
    done = run_cli(kb_path, "lookup", "城乡居民参保登记", "武汉", "--json")
    data = json.loads(done.stdout)
    assert data["guide"]["key"] == "hubei" and data["contact"] is None
    text = run_cli(kb_path, "lookup", "城乡居民参保登记", "武汉").stdout
    assert "未列出" in text and "12345" in text


def test_cli_check_reports_and_passes_the_baseline(kb_path: Path) -> None:
    done = run_cli(kb_path, "check")
    assert done.returncode == 0, done.stdout[-2000:]
    assert "misplaced_value" in done.stdout and "displaced_table" in done.stdout
    assert "全部达到基线" in done.stdout


def test_cli_check_fails_when_counts_regress(kb_path: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.yml"
    baseline.write_text("leshan:\n  services: 35\n", encoding="utf-8")
    done = run_cli(kb_path, "check", "--baseline", str(baseline))
    assert done.returncode == 1 and "leshan.services: 34 < 35" in done.stdout
