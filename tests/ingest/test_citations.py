"""Legal documents cited by the customer's plans and the corpus: parsing, amendments, registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from motcua.bot.answering.registry_answers import registry_answer
from motcua.ingest.citations.references import extract_legal_refs
from motcua.ingest.registry import DecreeRegistry

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = [
    "000_5348ec65c6d4a033",
    "001_825a936da22e72ef",
    "002_a3b05bab0daef918",
    "003_9ae4726a7f8ae87f",
    "004_6c8115b2801e23a2",
]


def read_shared(relative: str) -> str:
    path = SHARED / relative
    if not path.is_file():
        pytest.fail(f"test document missing: {path} (the customer's files live in {SHARED})")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def registry() -> DecreeRegistry:
    reg = DecreeRegistry()
    for seed in SEEDS:
        reg.add_document(seed, read_shared(f"seeds/{seed}.txt"))
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.fail(f"corpus missing: {corpus}")
    # The legal texts the plans sit beside; corpus/tables (procedure catalogues) came later
    # and names the decree that replaced 61/2018, which these tests do not expect.
    for folder in ("decrees", "other"):
        for path in sorted((corpus / folder).glob("*.txt")):
            reg.add_document(path.stem, path.read_text(encoding="utf-8"))
    return reg


# ---------------------------------------------------------------------------------------------
# What the seeds cite, checked against their text (OCR spellings in the comments)

CITED = [
    # (number, ISO date, seeds that cite it)
    ("61/2018/NĐ-CP", "2018-04-23", {"000", "002"}),  # "Nghi dinh 61/2018/ND-CP ngay\n23/4/2018"
    ("107/2021/NĐ-CP", "2021-12-06", {"000", "002"}),
    ("45/2020/NĐ-CP", "2020-04-08", {"000", "002"}),  # "Nghi dinh sb\n45/2020/ND-CP"
    ("01/2023/TT-VPCP", "2023-04-05", {"000", "002"}),  # "Thong tu sb 01/2023/TT-VPCP"
    ("76/NQ-CP", "2021-07-15", {"000", "002", "003"}),
    ("23/CT-TTg", "2021-09-02", {"000", "002"}),
    ("20/2008/NĐ-CP", "2008-02-14", {"001", "002"}),
    ("92/2017/NĐ-CP", "2017-08-07", {"001", "002"}),
    ("468/QĐ-TTg", "2021-03-27", {"000", "002"}),  # "Quyét dinh s 468/QD-TTg"
    ("800/KH-UBND", "2022-03-16", {"000", "002"}),
    ("18-NQ/TW", "2017-10-25", {"000", "002"}),  # "18-NQ/TW, … 19-NQ/TW ngày 25/10/2017"
    ("19-NQ/TW", "2017-10-25", {"000", "002"}),
    ("21-NQ/TU", None, {"000", "002"}),  # "21-\nNQ/TU" with no date in either text
    ("1012/KH-UBND", "2025-04-01", {"000"}),
    ("5336/KH-SGDĐT", "2024-12-31", {"000"}),  # "5336/KH-SGDDT ngay 31/12/2024"
    ("826/KH-UBND", "2024-03-15", {"002"}),
    ("4963/QĐ-UBND", "2020-12-28", {"001"}),
    ("854/QĐ-UBND", "2024-03-14", {"003"}),
    ("3809/QĐ-UBND", "2021-09-14", {"003"}),  # "Quyét\ndinh sb 3809/Qb- UBND ngay 14/09/2021"
    ("09-CTr/TU", "2021-05-14", {"003"}),  # "Chuong trinh hanh\ndong s6 09- CTr/TU"
    ("03/CT-UBND", "2024-01-22", {"003"}),  # "ngay 22 thang 01 nim 2024"
    ("01/NQ-CP", "2024-01-05", {"003"}),
    ("04/CT-UBND", "2024-03-08", {"003"}),
    ("01a/QĐ-THCSTS", "2026-01-08", {"004"}),  # "01a /QD-THCSTS, ngay 08 thang 01 nim 2026"
]


@pytest.mark.parametrize(("so_hieu", "date", "seeds"), CITED, ids=[c[0] for c in CITED])
def test_registry_lists_documents_cited_by_the_seeds(
    registry: DecreeRegistry, so_hieu: str, date: str | None, seeds: set[str]
) -> None:
    rec = registry.get(so_hieu)
    assert rec is not None, so_hieu
    assert rec.so_hieu == so_hieu
    assert rec.date == date
    citing = {d[:3] for d in rec.citing_docs if d in SEEDS}
    assert citing == seeds
    assert all(m.passage for m in rec.cited_by)


def test_issuers_and_types_of_cited_documents(registry: DecreeRegistry) -> None:
    expect = {
        "61/2018/NĐ-CP": ("Nghị định", "Chính phủ"),
        "468/QĐ-TTg": ("Quyết định", "Thủ tướng Chính phủ"),
        "01/2023/TT-VPCP": ("Thông tư", "Văn phòng Chính phủ"),
        "8322/UBND-VHXH": ("Công văn", "Ủy ban nhân dân tỉnh"),
        "03/CT-UBND": ("Chỉ thị", "Chủ tịch Ủy ban nhân dân tỉnh"),
        "09-CTr/TU": ("Chương trình hành động", "Tỉnh ủy"),
        "19-NQ/TW": ("Nghị quyết", "Ban Chấp hành Trung ương Đảng"),  # from the suffix
        "01a/QĐ-THCSTS": ("Quyết định", "Trường THCS Thuong Son"),
    }
    for so_hieu, (doc_type, issuer) in expect.items():
        rec = registry.get(so_hieu)
        assert rec is not None and (rec.doc_type, rec.issuer) == (doc_type, issuer), so_hieu
    rec = registry.get("61/2018/NĐ-CP")
    assert rec is not None and rec.subject is not None
    assert rec.subject.startswith("về thực hiện cơ chế một cửa")  # the clean spelling wins


def test_a_plan_does_not_cite_itself(registry: DecreeRegistry) -> None:
    rec = registry.get("1655/KH-SGDĐT")
    assert rec is not None and rec.doc_id == SEEDS[0]
    assert rec.cited_by == []
    assert (
        rec.label()
        == "Kế hoạch 1655/KH-SGDĐT ngày 5/5/2025 của Sở Giáo dục và Đào tạo tỉnh Long An"
    )


def test_misspelt_symbol_joins_its_record(registry: DecreeRegistry) -> None:
    # 000 (OCR) writes 8322/UBND-VHXH, the clean 002 has a typo: 8322/UBND-VHXXH
    rec = registry.get("8322/UBND-VHXXH")
    assert rec is not None and rec is registry.get("8322/UBND-VHXH")
    assert rec.date == "2021-08-18" and "8322/UBND-VHXXH" in rec.aliases


# ---------------------------------------------------------------------------------------------
# Amendments


def test_amendment_links(registry: DecreeRegistry) -> None:
    def key(so_hieu: str) -> str:
        rec = registry.get(so_hieu)
        assert rec is not None, so_hieu
        return rec.key

    new, old = registry.get("107/2021/NĐ-CP"), registry.get("61/2018/NĐ-CP")
    assert new is not None and old is not None
    assert old.key in new.amends and new.key in old.amended_by

    amending, amended = registry.get("48/2013/NĐ-CP"), registry.get("63/2010/NĐ-CP")
    assert amending is not None and amended is not None
    assert amended.key in amending.amends and amending.key in amended.amended_by
    # both decrees' own texts are in the corpus and link to their records
    assert amending.doc_id == "48_2013_nd-cp" and amended.doc_id == "63_2010_nd-cp"
    assert {key("20/2008/NĐ-CP"), key("36/2012/NĐ-CP"), key("55/2011/NĐ-CP")} <= set(
        amending.amends
    )

    # "20/2008/ND-CP … (dwoc stra doi, bd sung tai Nghi dinh s6 92/2017/ND-CP …)" in 001
    assert key("20/2008/NĐ-CP") in registry.get("92/2017").amends  # type: ignore[union-attr]
    # Nghị định 30/2020 ends 110/2004 and 09/2010, which amended 110/2004
    decree = registry.get("30/2020/NĐ-CP")
    assert decree is not None and decree.doc_id == "30_2020_nd-cp"
    assert {key("110/2004/NĐ-CP"), key("09/2010/NĐ-CP")} <= set(decree.repeals)
    assert key("110/2004/NĐ-CP") in registry.get("09/2010/NĐ-CP").amends  # type: ignore[union-attr]
    # "Nghị định này thay thế Nghị định số 02/2017/NĐ-CP"
    assert key("02/2017/NĐ-CP") in registry.get("09/2025/NĐ-CP").replaces  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------
# Queries and storage


def test_search_by_number(registry: DecreeRegistry) -> None:
    assert [r.so_hieu for r in registry.search("61/2018")] == ["61/2018/NĐ-CP"]
    assert [r.so_hieu for r in registry.search("nghi dinh 61")] == ["61/2018/NĐ-CP"]
    assert registry.get("61/2018/nđ-cp") is registry.get("61/2018/ND-CP")
    assert registry.get("61/2018") is registry.get("61/2018/NĐ-CP")
    assert registry.get("1/2023/tt-vpcp") is registry.get("01/2023/TT-VPCP")


def test_search_by_subject_words(registry: DecreeRegistry) -> None:
    found = [r.so_hieu for r in registry.search("nghị định nào quy định cơ chế một cửa?")]
    assert found[:2] == ["107/2021/NĐ-CP", "61/2018/NĐ-CP"] or found[:2] == [
        "61/2018/NĐ-CP",
        "107/2021/NĐ-CP",
    ]
    assert "468/QĐ-TTg" not in found  # a Quyết định, not a Nghị định
    folded = {r.so_hieu for r in registry.search("mot cua")}
    assert {"61/2018/NĐ-CP", "107/2021/NĐ-CP", "468/QĐ-TTg"} <= folded
    assert registry.search("chữ không có trong văn bản nào cả xyz") == []


def test_subjects_match_their_abbreviations(registry: DecreeRegistry) -> None:
    # The plans cite "Nghị định số 45/2020/NĐ-CP … về thực hiện TTHC trên môi trường điện tử".
    found = registry.by_subject("thủ tục hành chính trên môi trường điện tử", 0.8)
    assert [r.so_hieu for _, r in found][:1] == ["45/2020/NĐ-CP"]


@pytest.mark.parametrize(
    ("question", "named", "not_named"),
    [
        # Repealed by 30/2020 (its closing article): the text in force is named.
        ("Văn bản nào quy định về công tác văn thư?", "30/2020/NĐ-CP", "110/2004"),
        ("van ban nao quy dinh ve cong tac van thu", "30/2020/NĐ-CP", "09/2010"),
        (
            "Văn bản nào quy định thực hiện thủ tục hành chính trên môi trường điện tử?",
            "45/2020/NĐ-CP",
            "63/2010",
        ),
    ],
)
def test_which_text_regulates_a_subject(
    registry: DecreeRegistry, question: str, named: str, not_named: str
) -> None:
    answer = registry_answer(question, registry)
    assert answer is not None
    text = "\n".join(answer.lines)
    assert named in text and not_named not in text
    assert answer.mentions


def test_the_regulating_decree_is_named_with_its_amendment(registry: DecreeRegistry) -> None:
    answer = registry_answer("Nghị định nào quy định cơ chế một cửa, một cửa liên thông?", registry)
    assert answer is not None
    assert answer.lines[0].startswith("Nghị định 61/2018/NĐ-CP")
    assert "được sửa đổi, bổ sung bởi Nghị định 107/2021/NĐ-CP" in answer.lines[0]
    assert len(answer.lines) == 1  # 107/2021 is named as the amendment, not as a second text
    cited = {doc_id for doc_id, _ in answer.mentions}
    assert {"000_5348ec65c6d4a033", "002_a3b05bab0daef918"} <= cited


@pytest.mark.parametrize(
    "question",
    [
        "Nghị định nào quy định về xử phạt vi phạm giao thông đường bộ?",
        "Thông tư nào quy định về học phí?",
        "Quyết định nào phê duyệt đề án 06?",  # a number: the registry's number lookup's job
        "Quyết định nào phê duyệt?",
        "Thủ tục chuyển trường cần giấy tờ gì?",  # not a question about a legal text
    ],
)
def test_no_text_is_named_for_a_subject_no_text_has(
    registry: DecreeRegistry, question: str
) -> None:
    answer = registry_answer(question, registry)
    assert answer is None or "Văn bản quy định nội dung này" not in answer.heading


def test_what_a_plan_is_based_on(registry: DecreeRegistry) -> None:
    cited = registry.cited_in("1655/KH-SGDĐT")
    assert cited[0].so_hieu == "1012/KH-UBND"  # "Can cit Ké hoach s6 1012/KH-UBND …"
    assert {"61/2018/NĐ-CP", "800/KH-UBND"} <= {r.so_hieu for r in cited}


def test_json_round_trip(registry: DecreeRegistry) -> None:
    text = registry.to_json()
    data = json.loads(text)  # plain JSON
    assert data["records"]["61/2018/nd-cp"]["label"].startswith("Nghị định 61/2018/NĐ-CP")
    again = DecreeRegistry.from_json(text)
    assert again.to_dict() == registry.to_dict()
    assert again.get("61/2018") is not None


def test_adding_a_document_again_replaces_it() -> None:
    reg = DecreeRegistry()
    reg.add_document("a", "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;")
    reg.add_document("a", "Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ;")
    assert reg.get("61/2018/NĐ-CP") is None
    rec = reg.get("45/2020/NĐ-CP")
    assert rec is not None and rec.citing_docs == ["a"]


# ---------------------------------------------------------------------------------------------
# Parsing, on strings written here


def test_clean_reference() -> None:
    text = (
        "1. Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế "
        "một cửa, một cửa liên thông trong giải quyết thủ tục hành chính; căn cứ tình hình thực tế."
    )
    (ref,) = extract_legal_refs(text)
    assert ref.so_hieu == "61/2018/NĐ-CP" and ref.key == "61/2018/nd-cp"
    assert ref.doc_type == "Nghị định"
    assert ref.date == "2018-04-23"
    assert (ref.issuer, ref.issuer_implied) == ("Chính phủ", False)
    assert ref.subject == (
        "về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính"
    )
    assert text[ref.span[0] : ref.span[1]] == ref.raw and ref.raw.startswith("Nghị định số 61")
    assert ref.number_span is not None
    assert text[ref.number_span[0] : ref.number_span[1]] == "61/2018/NĐ-CP"
    assert ref.passage.startswith("Căn cứ Nghị định") and ref.passage.endswith("hành chính;")
    assert ref.basis


def test_ocr_reference() -> None:
    text = (
        "theo Nghi dinh s6 61/2018/ND-CP ngay 23 thing 4 nim 2018 ctia Chinh phii "
        "vé co ché mot cira;"
    )
    (ref,) = extract_legal_refs(text)
    assert (ref.so_hieu, ref.doc_type, ref.date) == ("61/2018/NĐ-CP", "Nghị định", "2018-04-23")
    assert ref.issuer == "Chính phủ"
    assert ref.subject == "vé co ché mot cira"


def test_issuer_implied_by_the_number() -> None:
    (ref,) = extract_legal_refs("thực hiện Quyết định 468/QĐ-TTg năm 2021.")
    assert (ref.doc_type, ref.issuer, ref.issuer_implied) == (
        "Quyết định",
        "Thủ tướng Chính phủ",
        True,
    )
    (law,) = extract_legal_refs("Luật số 45/2019/QH14 quy định")
    assert (law.doc_type, law.issuer) == ("Luật", "Quốc hội")


def test_amends_active_and_passive() -> None:
    refs = extract_legal_refs(
        "Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ sửa đổi, bổ sung một số điều "
        "của Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ."
    )
    assert [r.so_hieu for r in refs] == ["107/2021/NĐ-CP", "61/2018/NĐ-CP"]
    assert refs[0].amends == ["61/2018/nd-cp"] and refs[1].amended_by == ["107/2021/nd-cp"]

    refs = extract_legal_refs(
        "Nghị định số 20/2008/NĐ-CP ngày 14/02/2008 về tiếp nhận phản ánh (được sửa đổi, bổ sung "
        "tại Nghị định số 92/2017/NĐ-CP ngày 07/8/2017)."
    )
    assert refs[1].amends == ["20/2008/nd-cp"]

    # a plan that merely mentions "sửa đổi" near a number amends nothing
    refs = extract_legal_refs(
        "Kế hoạch số 5/KH-UBND ngày 02/01/2024 về việc rà soát, sửa đổi quy chế."
    )
    assert refs[0].amends == [] and refs[0].citing_relation is None


def test_what_the_citing_document_does() -> None:
    (ref,) = extract_legal_refs(
        "2. Nghị định này thay thế Nghị định số 02/2017/NĐ-CP ngày 09 tháng 01 năm 2017."
    )
    assert ref.citing_relation == "replaces"
    (ref,) = extract_legal_refs(
        "Điều 1. Sửa đổi, bổ sung một số điều của Nghị định số 63/2010/NĐ-CP như sau:"
    )
    assert ref.citing_relation == "amends"
    refs = extract_legal_refs(
        "Nghị định số 110/2004/NĐ-CP ngày 08/4/2004 và Nghị định số 09/2010/NĐ-CP ngày 08/02/2010 "
        "hết hiệu lực từ ngày Nghị định này có hiệu lực."
    )
    assert [r.citing_relation for r in refs] == ["repeals", "repeals"]


def test_repealing_an_article_is_a_partial_repeal_not_an_amendment() -> None:
    # Nghị định 63/2010, Điều 38, as the corpus has it
    clause = next(
        line
        for line in read_shared("corpus/decrees/63_2010_nd-cp.txt").splitlines()
        if "1699/QĐ-TTg" in line
    )
    assert "Bãi bỏ quy định tại Điều 2 của Quyết định số 1699/QĐ-TTg" in clause
    (ref,) = extract_legal_refs(clause)
    assert ref.citing_relation == "partly_repeals"
    (whole,) = extract_legal_refs("Điều 3. Bãi bỏ Quyết định số 12/2020/QĐ-UBND ngày 01/02/2020.")
    assert whole.citing_relation == "repeals"
    (all_of_it,) = extract_legal_refs(
        "Điều 3. Bãi bỏ toàn bộ nội dung của Quyết định số 12/2020/QĐ-UBND ngày 01/02/2020."
    )
    assert all_of_it.citing_relation == "repeals"


def test_a_partial_repeal_is_filed_as_one(registry: DecreeRegistry) -> None:
    decree, decision = registry.get("63/2010/NĐ-CP"), registry.get("1699/QĐ-TTg")
    assert decree is not None and decision is not None
    assert decree.partly_repeals == [decision.key] and decision.partly_repealed_by == [decree.key]
    assert decision.key not in decree.amends + decree.repeals
    assert not decision.amended_by and not decision.repealed_by


def test_shared_date_of_a_list() -> None:
    refs = extract_legal_refs("Nghị quyết số 18-NQ/TW, Nghị quyết số 19-NQ/TW ngày 25/10/2017")
    assert [(r.so_hieu, r.date) for r in refs] == [
        ("18-NQ/TW", "2017-10-25"),
        ("19-NQ/TW", "2017-10-25"),
    ]


def test_law_cited_by_name() -> None:
    refs = extract_legal_refs(
        "theo Luật Ban hành văn bản quy phạm pháp luật năm 2015 (sửa đổi năm 2020); "
        "Luật Bảo vệ và kiểm dịch thực vật ngày 25 tháng 11 năm 2013;"
    )
    assert [(r.name, r.key, r.so_hieu) for r in refs] == [
        (
            "Luật Ban hành văn bản quy phạm pháp luật",
            "luat:luat ban hanh van ban quy pham phap luat@2015",
            None,
        ),
        ("Luật Bảo vệ và kiểm dịch thực vật", "luat:luat bao ve va kiem dich thuc vat@2013", None),
    ]
    assert refs[1].date == "2013-11-25"


def test_numbers_that_are_not_documents() -> None:
    text = "giai đoạn 2021-2025, ngày 15/7/2021, tỷ lệ 3/4, mức độ 3, 4 và CB,CC,VC/NLĐ"
    assert extract_legal_refs(text) == []


# -- what is not a law's name (issue 19: junk records from the distractor texts) -------------


@pytest.mark.parametrize(
    "text",
    [
        "Giấy tờ được chứng thực theo quy định của pháp\nluật Việt Nam phải có bản dịch.",
        "Đăng ký hoạt động của công ty luật Việt Nam chuyển đổi từ công ty luật nước ngoài.",
        "Người dân có thể nhờ Luật sư tư vấn miễn phí.",
        "Luật sửa đổi, bổ sung ngày 20/11/2012 có hiệu lực.",
    ],
)
def test_law_in_general_a_lawyer_or_a_bare_amendment_is_no_law(text: str) -> None:
    assert [r.name for r in extract_legal_refs(text) if r.key.startswith("luat:")] == []


@pytest.mark.parametrize(
    ("text", "name", "year"),
    [
        ("Theo Bộ luật Lao động mà người lao động được hưởng.", "Bộ luật Lao động", None),
        ("Căn cứ Luật Doanh nghiệp hoặc Luật Đầu tư.", "Luật Doanh nghiệp", None),
        ("- Luật Quốc tịch Việt Nam 2008; - Nghị định 16/2020", "Luật Quốc tịch Việt Nam", "2008"),
        (
            "Căn cứ Pháp lệnh Ưu đãi người có công với cách mạng;",
            "Pháp lệnh Ưu đãi người có công với cách mạng",
            None,
        ),
    ],
)
def test_a_laws_name_ends_where_the_sentence_moves_on(
    text: str, name: str, year: str | None
) -> None:
    ref = next(r for r in extract_legal_refs(text) if r.key.startswith("luat:"))
    assert ref.name == name
    assert ref.key.endswith(f"@{year}") if year else "@" not in ref.key


def test_a_number_listed_after_a_law_is_not_named_after_it() -> None:
    text = "- Luật Luật sư năm 2006 - Nghị định số 123/2013/NĐ-CP ngày 14/10/2013 của Chính phủ;"
    decree = next(r for r in extract_legal_refs(text) if r.so_hieu == "123/2013/NĐ-CP")
    assert decree.doc_type == "Nghị định"
    assert not (decree.name or "").startswith("Luật")


def test_a_joint_circular_cited_after_a_code_is_filed_as_one(registry: DecreeRegistry) -> None:
    # Thông tư 101/2018/TT-BTC, as the corpus has it: "… của Bộ luật lao động và Thông tư liên
    # tịch số 08/2005/TTLT-BNV-BTC …" once made the record "Bộ luật 08/2005/TTLT-BNV-BTC".
    clause = next(
        line
        for line in read_shared("corpus/other/101_2018_tt-btc.txt").splitlines()
        if "08/2005/TTLT-BNV-BTC" in line
    )
    assert "Bộ luật lao động và Thông tư liên tịch số 08/2005/TTLT-BNV-BTC" in clause
    (ref,) = [r for r in extract_legal_refs(clause) if r.so_hieu == "08/2005/TTLT-BNV-BTC"]
    assert (ref.doc_type, ref.date) == ("Thông tư liên tịch", "2005-01-05")
    assert not (ref.name or "").startswith("Bộ luật")
    record = registry.get("08/2005/TTLT-BNV-BTC")
    assert record is not None and record.doc_type == "Thông tư liên tịch"
    assert not (record.name or "").startswith("Bộ luật")
    assert "101_2018_tt-btc" in {m.doc_id for m in record.cited_by}
    filed = [r for r in registry.records.values() if "08/2005" in f"{r.so_hieu} {r.name}"]
    assert filed == [record]


def test_a_scanned_spelling_of_a_law_joins_the_clean_one() -> None:
    from motcua.ingest.registry import DecreeRegistry

    registry = DecreeRegistry()
    registry.add_document("scan", "Căn cứ Luật Ban hanh van ban quy pham phép luat năm 2015;")
    registry.add_document("clean", "Căn cứ Luật Ban hành văn bản quy phạm pháp luật năm 2015;")
    laws = [r for r in registry.records.values() if r.key.startswith("luat:")]
    assert len(laws) == 1
    assert laws[0].name == "Luật Ban hành văn bản quy phạm pháp luật"
    assert {m.doc_id for m in laws[0].cited_by} == {"scan", "clean"}


def test_two_clean_names_a_letter_apart_stay_two_laws() -> None:
    from motcua.ingest.registry import DecreeRegistry

    registry = DecreeRegistry()
    registry.add_document("a", "Căn cứ Luật Thú y năm 2015;")  # "thu y" and "thuy": one apart
    registry.add_document("b", "Căn cứ Luật Thủy năm 2015;")
    assert len([r for r in registry.records.values() if r.key.startswith("luat:")]) == 2
