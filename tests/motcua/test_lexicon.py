"""The vocabulary files and the normalizer: every entry is read the way its file says."""

from __future__ import annotations

import pytest
import yaml

from motcua.lexicon import expand_chat, normalize, same_word, vocabulary
from motcua.lexicon.vocabulary import PACKAGE, folded_tokens, written_phrases, written_tokens
from motcua.text import fold, strip_diacritics


def _data(name: str) -> dict:
    from importlib import resources

    return yaml.safe_load(resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8"))


CHAT = _data("chat.yaml")
ANYWHERE = [(w, s) for w, spellings in CHAT["anywhere"].items() for s in spellings]
AT_END = [(w, s) for w, spellings in CHAT["at_end"].items() for s in spellings]


@pytest.mark.parametrize(("written", "spelling"), ANYWHERE)
def test_each_chat_spelling_is_expanded_inside_a_sentence(written: str, spelling: str) -> None:
    expanded = expand_chat(f"cho hỏi {spelling} xong nộp hồ sơ")
    assert written_tokens(expanded) == written_tokens(f"cho hỏi {written} xong nộp hồ sơ")


@pytest.mark.parametrize(("written", "spelling"), AT_END)
def test_each_clause_final_spelling_is_expanded_only_at_the_end(
    written: str, spelling: str
) -> None:
    assert written_tokens(expand_chat(f"nộp online được {spelling}?")) == written_tokens(
        f"nộp online được {written}?"
    )
    assert written_tokens(expand_chat(f"nộp online được {spelling} ad")) == written_tokens(
        f"nộp online được {written} ad"
    )
    inside = f"{spelling} tuyên truyền"
    assert written_tokens(expand_chat(inside)) == written_tokens(inside)


def test_chat_spellings_are_listed_once() -> None:
    keys = [written_tokens(s) for _, s in ANYWHERE + AT_END]
    assert len(keys) == len(set(keys))


def test_a_capital_letter_is_not_chat() -> None:
    # "mục V" is a roman numeral, "v" alone in chat is "vậy"
    assert expand_chat("Kế hoạch mục V nói gì") == "Kế hoạch mục V nói gì"
    assert expand_chat("the la sao v") == "the la sao vậy"


def test_marked_spellings_do_not_match_their_unmarked_twin() -> None:
    # "vô" is "vào"; "vo" typed without marks may be "vợ", which cards name as a relative
    assert expand_chat("nộp vô đâu") == "nộp vào đâu"
    assert expand_chat("vo chong") == "vo chong"


@pytest.mark.parametrize("phrase", _data("fillers.yaml")["phrases"])
def test_each_filler_is_dropped_from_the_core(phrase: str) -> None:
    reading = normalize(f"{phrase} chuyển trường cần hồ sơ gì")
    assert "chuyển trường cần hồ sơ gì" in reading.core
    assert not set(written_tokens(reading.core)) & set(written_tokens(phrase)) - {
        "hồ",
        "sơ",
        "gì",
        "cần",
        "chuyển",
        "trường",
    }


def test_tail_politeness_typed_without_marks_is_dropped() -> None:
    reading = normalize("chuyen truong can ho so gi vay a")
    assert reading.core == "chuyen truong can ho so gi"


LEVELS = _data("levels.yaml")
SCHOOL_LEVELS = {level: e for level, e in LEVELS.items() if "grades" in e}
OTHER_LEVELS = {level: e for level, e in LEVELS.items() if "grades" not in e}


@pytest.mark.parametrize(
    ("level", "name"), [(level, n) for level, e in SCHOOL_LEVELS.items() for n in e["names"]]
)
def test_each_level_name_names_its_level(level: str, name: str) -> None:
    assert normalize(f"chuyển trường {name} cần gì").level == level
    assert normalize(strip_diacritics(f"chuyen truong {name} can gi")).level == level


@pytest.mark.parametrize(
    ("level", "name"), [(level, n) for level, e in OTHER_LEVELS.items() for n in e["names"]]
)
def test_a_level_without_grades_is_not_a_school_level_of_the_reader(level: str, name: str) -> None:
    # Cards are split by school level and the dialogue asks which one; "học phí mầm non" names
    # none of them. Question matching reads these levels (test_curated).
    assert normalize(f"học phí {name} bao nhiêu").level is None
    assert level in vocabulary().all_levels
    assert vocabulary().level(level) is None


def test_school_levels_cover_the_twelve_grades_once() -> None:
    grades = [g for lv in vocabulary().levels for g in range(lv.first_grade, lv.last_grade + 1)]
    assert grades == list(range(1, 13))
    assert [lv.name for lv in vocabulary().levels] == list(SCHOOL_LEVELS)
    assert list(vocabulary().all_levels) == list(LEVELS)


@pytest.mark.parametrize("grade", range(1, 13))
def test_grades_name_their_level(grade: int) -> None:
    expected = "tiểu học" if grade <= 5 else "THCS" if grade <= 9 else "THPT"
    assert normalize(f"con học lớp {grade} muốn chuyển trường").level == expected
    assert normalize(f"con hoc lop{grade}").level == expected


def test_a_grade_outside_school_is_no_level() -> None:
    assert normalize("lớp 13 học gì").level is None


@pytest.mark.parametrize(
    ("canonical", "member"),
    [(g[0], m) for g in _data("synonyms.yaml")["groups"] for m in g],
)
def test_each_synonym_points_to_the_documents_word(canonical: str, member: str) -> None:
    values = normalize(f"hỏi về {member} ạ").values("synonym")
    assert " ".join(folded_tokens(canonical)) in values


ASPECTS = _data("aspects.yaml")


@pytest.mark.parametrize(("aspect", "cue"), [(k, c) for k, e in ASPECTS.items() for c in e["cues"]])
def test_each_aspect_cue_asks_its_aspect(aspect: str, cue: str) -> None:
    assert aspect in normalize(f"thủ tục này {cue}").aspects
    assert aspect in normalize(strip_diacritics(f"thu tuc nay {cue}")).aspects


@pytest.mark.parametrize(
    "question",
    ["học phí lớp 10 bao nhiêu 1 tháng", "hoc phi mam non o Hue bn", "tien hoc cua con bn 1 thang"],
)
def test_tuition_asks_for_no_procedures_fee(question: str) -> None:
    # the "phí" of "học phí" is a word of the sector's own, not the fee a procedure charges
    reading = normalize(question)
    assert "fee" not in reading.aspects
    assert reading.values("synonym")[:1] == ["hoc phi"]
    assert "fee" in normalize("chuyển trường có mất phí không").aspects


def test_aspect_fields_are_card_fields() -> None:
    from motcua.ingest.cards import ProcedureCard

    for aspect in vocabulary().aspects:
        assert aspect.field in ProcedureCard.model_fields


@pytest.mark.parametrize(
    ("name", "phrase"), [(n, p) for n, ps in _data("objects.yaml").items() for p in ps]
)
def test_each_paper_is_named(name: str, phrase: str) -> None:
    assert name in normalize(f"xin cấp lại {phrase} ở đâu").objects


@pytest.mark.parametrize(
    ("name", "phrase"), [(n, p) for n, ps in _data("actions.yaml").items() for p in ps]
)
def test_each_action_is_named(name: str, phrase: str) -> None:
    assert normalize(f"bằng tốt nghiệp {phrase} ở đâu").actions == [name]
    assert normalize(fold(f"bang tot nghiep {phrase} o dau")).actions == [name]


def test_an_action_is_not_read_into_other_words() -> None:
    # folded, "đủ thì" is "dự thi" and "nhận bằng đường bưu điện" is no diploma handed over
    assert normalize("danh mục hồ sơ đầy đủ thì ai hướng dẫn").actions == []
    assert normalize(fold("danh mục hồ sơ đầy đủ thì ai hướng dẫn")).actions == []
    assert normalize("có nhận bằng đường bưu điện được không").actions == []


@pytest.mark.parametrize(("request_", "papers"), list(_data("paper_requests.yaml").items()))
def test_each_paper_request_asks_which_paper(request_: str, papers: list[str]) -> None:
    objects = _data("objects.yaml")
    assert set(papers) <= set(objects)  # papers the lexicon can recognise
    assert normalize(f"xin {request_} thì làm thế nào").paper_request() == (request_, tuple(papers))
    # typed without marks too, and not once a paper is named
    assert normalize(fold(f"{request_} mất bao lâu")).paper_request() == (request_, tuple(papers))
    named = objects[papers[0]][0]
    assert normalize(f"xin {request_} {named} thì làm thế nào").paper_request() is None


def test_bang_is_a_diploma_only_when_it_is_one() -> None:
    assert normalize("bảng điểm lớp 12").objects == ["bảng điểm"]
    assert "văn bằng" in normalize("mất bằng rồi").objects
    assert normalize("nộp bằng đường bưu điện").objects == []
    # typed without marks and not restored, "bang" could be "bảng", "bằng" or "bang"
    assert normalize("mat bang roi").objects == []


@pytest.mark.parametrize(
    ("sector", "phrase"), [(n, p) for n, ps in _data("sectors.yaml").items() for p in ps]
)
def test_each_other_sector_procedure_is_named(sector: str, phrase: str) -> None:
    assert sector in normalize(f"thủ tục {phrase} cần gì").sectors
    assert sector in normalize(strip_diacritics(f"thu tuc {phrase} can gi")).sectors


def test_education_questions_name_no_other_sector() -> None:
    assert normalize("con em đã đổi tên trong giấy khai sinh, sửa bằng thế nào").sectors == []
    assert normalize("chuyển trường cho con lớp 7 cần giấy tờ gì").sectors == []


PLACES = _data("places.yaml")


@pytest.mark.parametrize("name", [*PLACES["provinces"], *PLACES["other"]])
def test_each_place_name_is_a_place(name: str) -> None:
    reading = normalize(f"nhà em ở {name} muốn chuyển trường")
    assert [fold(p) for p in reading.places] == [fold(name)]
    if len(name.split()) > 1:
        typed = strip_diacritics(f"nha em o {name.lower()} muon chuyen truong")
        assert [fold(p) for p in normalize(typed).places] == [fold(name)]


@pytest.mark.parametrize("marker", PLACES["markers"])
def test_a_capitalised_name_after_a_marker_is_a_place(marker: str) -> None:
    reading = normalize(f"con học ở {marker} Tân Lập muốn chuyển trường")
    assert "Tân Lập" in reading.places


def test_places_are_not_content() -> None:
    reading = normalize("con em dang hoc lop 6 o Binh Duong, xin chuyen truong")
    kept = {reading.tokens[i].folded for i in reading.content_indices()}
    assert not kept & {"binh", "duong"}
    assert {"chuyen", "truong"} <= kept


def test_same_word_ignores_tone_placement_only() -> None:
    assert same_word("hoá", "hóa")
    assert same_word("Bằng", "bằng")
    assert not same_word("bảng", "bằng")
    assert not same_word("bang", "bằng")


class _Marks:
    """A restorer that knows a few words, to show the normalizer hands it the expanded text."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def restore(self, text: str) -> str:
        self.seen.append(text)
        return text.replace("xin ban sao", "xin bản sao").replace("o dau", "ở đâu")


def test_restorer_sees_the_expanded_text_only_when_typed_without_marks() -> None:
    restorer = _Marks()
    reading = normalize("ad oi cho e hoi xin ban sao bang tn o dau vay", restorer)
    assert restorer.seen == ["ad oi cho em hoi xin ban sao bang tốt nghiệp o dau vay"]
    assert reading.accentless
    assert reading.core == "xin bản sao bang tốt nghiệp ở đâu"
    assert reading.aspects == ["where"]
    normalize("xin bản sao bằng ở đâu", restorer)
    assert len(restorer.seen) == 1


@pytest.mark.parametrize("word", _data("education.yaml")["words"])
def test_each_education_word_is_recognised(word: str) -> None:
    assert normalize(f"hỏi về {word} ạ").of("education")
    assert normalize(strip_diacritics(f"hoi ve {word} a")).of("education")


def test_an_other_sector_question_names_no_education_word() -> None:
    assert not normalize("đăng ký kết hôn cần giấy tờ gì").of("education")


@pytest.mark.parametrize(
    ("question", "none_named"),
    [
        ("thủ tục cấp 3 như thế nào ạ", True),
        ("thu tuc lop 7 the nao ad", True),
        ("hồ sơ thì sao?", True),
        ("thủ tục xin nghỉ học cấp 3 thế nào", False),
        ("thủ tục hành chính là gì", False),
        ("phí bao nhiêu?", False),
    ],
)
def test_a_procedure_asked_and_none_named(question: str, none_named: bool) -> None:
    assert normalize(question).names_no_procedure() is none_named


def test_the_particle_thi_is_no_exam() -> None:
    # folded, the particle "thì" is the sector's "thi": typed with its marks it is read as
    # written, so a notary question stays another sector's
    assert not normalize("công chứng di chúc xong thì nhận được gì?").of("education")
    assert normalize("công chứng di chúc xong thì nhận được gì?").sectors == ["tư pháp"]
    assert normalize("đăng ký thi lại ở đâu").of("education")
    assert normalize("dang ky thi lai o dau").of("education")


@pytest.mark.parametrize(
    "question",
    [
        "con em chuyển từ Đà Nẵng về Quảng Nam học lớp 8 thì làm sao",
        "hs lop 11 chuyen tu tinh khac toi thi nop giay gi",
        "bé nhà tôi muốn chuyển sang một trường THPT gần nhà hơn",
    ],
)
def test_a_pupil_moved_between_places_is_a_transfer(question: str) -> None:
    assert normalize(question).actions == ["chuyển trường"]


@pytest.mark.parametrize(
    ("name", "level"),
    [("Tiểu học", "tiểu học"), ("cấp 1", "tiểu học"), ("THCS", "THCS"), ("Mầm non", "mầm non"),
     ("nhà trẻ", "mầm non"), ("Đại học", "đại học"), ("bằng lái", None)],
)  # fmt: skip
def test_a_level_named_as_cards_and_people_write_it(name: str, level: str | None) -> None:
    assert vocabulary().level_named(name) == level


def test_every_level_a_question_names_levels_without_grades_too() -> None:
    tokens = folded_tokens("con học mẫu giáo, sau lên cấp 1 thì sao")
    assert vocabulary().levels_in(tokens) == {"mầm non", "tiểu học"}


def test_the_restorer_learns_the_lexicon_as_written_not_its_chat_spellings() -> None:
    phrases = written_phrases()
    assert {"Nghệ An", "mất phí", "bao lâu", "Bình Định", "không", "thủ tục"} <= set(phrases)
    # chat spellings are what is typed wrongly; folded regular expressions are no wording
    assert not {"thủ tuc", "lâuu", "chuyễn", "ko"} & set(phrases)
    assert not any("\\" in p for p in phrases)
