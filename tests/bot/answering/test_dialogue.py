"""The dialogue layer: small talk, follow-ups, clarification and per-conversation history."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from motcua.bot.answering.choices import suggestions_key
from motcua.bot.answering.dialogue import (
    IDLE_EXPIRY_SECONDS,
    Dialogue,
    SqlConversationStore,
    Turn,
)
from motcua.bot.answering.message_reading import strip_greeting
from motcua.bot.web.app import create_app
from motcua.storage.database import database_url
from motcua.types import STATUS_CLARIFY, Answer
from tests.conftest import make_settings
from tests.scripted import DETAILS, FEE_QUESTION, LEAD, SUGGESTIONS, UNCLEAR, ScriptedResponder, led

THCS_CARD = "tthc-chuyen-truong-thcs"
THPT_CARD = "tthc-chuyen-truong-thpt"


class Recording:
    """The real responder, remembering which questions reached it."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.settings = inner.settings
        self.retriever = inner.retriever
        self.index = inner.index
        self.questions: list[str] = []

    def answer(self, question: str, conversation_id: str | None = None, **kwargs) -> Answer:
        self.questions.append(question)
        return self.inner.answer(question, conversation_id, **kwargs)

    def refusal(self, question: str) -> Answer:
        return self.inner.refusal(question)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def recording(cards_responder) -> Recording:
    return Recording(cards_responder)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def dialogue(recording: Recording, clock: Clock) -> Dialogue:
    return Dialogue(recording, SqlConversationStore("sqlite://"), clock=clock)


# --- The scripted conversation through the HTTP API -----------------------------------------


@pytest.fixture
def client(cards_index: Path, cards_responder, tmp_path: Path):
    settings = make_settings(cards_index, data_dir=tmp_path / "data")
    with TestClient(create_app(settings, responder=cards_responder)) as test_client:
        yield test_client


_CONVERSATIONS: dict[tuple[int, str], str] = {}


def ask(client: TestClient, question: str, who: str = "parent-1") -> dict:
    """Ask as `who`: the first question starts a conversation, whose id (issued by the
    server) the next ones send back."""
    key = (id(client), who)
    body = {"question": question, "conversation_id": _CONVERSATIONS.get(key)}
    response = client.post("/v1/ask", json=body)
    assert response.status_code == 200, response.text
    _CONVERSATIONS[key] = response.json()["conversation_id"]
    return response.json()


def test_scripted_conversation_over_the_api(client: TestClient) -> None:
    greeting = ask(client, "Xin chào")
    assert not greeting["refused"] and greeting["citations"] == []
    assert "Xin chào" in greeting["answer"]

    # Which level? The THCS and THPT cards answer differently: the bot asks back.
    clarify = ask(client, "Thủ tục chuyển trường cho con")
    assert not clarify["refused"] and clarify["citations"] == []
    assert "THCS hay THPT" in clarify["answer"]

    # "lớp 8" answers the clarification: the original question, about THCS.
    thcs = ask(client, "lớp 8")
    assert not thcs["refused"]
    assert thcs["citations"][0]["doc_id"] == THCS_CARD
    assert "trung học cơ sở (THCS)" in thcs["answer"]
    assert thcs["question"] == "lớp 8", "the question is echoed as asked"

    # A follow-up without a subject: the previous topic at another level.
    thpt = ask(client, "còn THPT thì sao?")
    assert thpt["citations"][0]["doc_id"] == THPT_CARD
    assert "trung học phổ thông (THPT)" in thpt["answer"]
    assert "Câu hỏi được hiểu là" in thpt["answer"]

    # Another aspect of the same topic, typed without diacritics.
    fee = ask(client, "the con le phi?")
    assert fee["citations"][0]["doc_id"] == THPT_CARD
    assert "Lệ phí" in fee["answer"]

    thanks = ask(client, "cảm ơn bạn nhiều")
    assert not thanks["refused"] and thanks["citations"] == []
    assert "không có gì" in thanks["answer"]

    # Another conversation knows nothing of this one: its follow-up has no topic.
    other = ask(client, "còn THPT thì sao?", who="parent-2")
    assert "Câu hỏi được hiểu là" not in other["answer"]


def test_dialogue_stands_in_for_the_responder(client: TestClient) -> None:
    response = client.get("/v1/decrees")
    assert response.status_code != 500


# --- Small talk --------------------------------------------------------------------------------


@pytest.mark.parametrize("message", ["xin chào", "cam on ban", "bạn là ai?", "ban lam duoc gi"])
def test_small_talk_is_answered_without_the_index(
    dialogue: Dialogue, recording: Recording, message: str
) -> None:
    answer = dialogue.answer(message, "telegram:1")
    assert not answer.refused and answer.citations == []
    assert answer.answer and recording.questions == []


def test_identity_and_capabilities_replies_differ(dialogue: Dialogue) -> None:
    identity = dialogue.answer("bạn là ai?").answer
    capabilities = dialogue.answer("bạn làm được gì?").answer
    assert "trợ lý" in identity and identity != capabilities
    assert dialogue.responder.settings.portal_url in capabilities


def test_greeting_then_a_question_gets_the_answer(dialogue: Dialogue, recording) -> None:
    answer = dialogue.answer("Xin chào, cho hỏi xin bản sao bằng tốt nghiệp ở đâu?")
    assert not answer.refused
    assert answer.citations[0].doc_id == "tthc-ban-sao-van-bang"
    assert recording.questions == ["cho hỏi xin bản sao bằng tốt nghiệp ở đâu?"]
    assert strip_greeting("chào bạn, lệ phí bao nhiêu?") == "lệ phí bao nhiêu?"


# --- Follow-ups and history --------------------------------------------------------------------


def test_followup_uses_the_previous_question(dialogue: Dialogue, recording) -> None:
    dialogue.answer("Chuyển trường THCS cần giấy tờ gì?", "zalo:7")
    answer = dialogue.answer("con thpt thi sao", "zalo:7")
    assert recording.questions[-1] == "Chuyển trường THPT cần giấy tờ gì?"
    assert answer.citations[0].doc_id == THPT_CARD
    assert answer.question == "con thpt thi sao"


def test_followup_without_history_is_answered_as_is(dialogue: Dialogue, recording) -> None:
    dialogue.answer("còn THPT thì sao?", "zalo:new")
    dialogue.answer("mất bao lâu?")  # no conversation id at all
    assert recording.questions == ["còn THPT thì sao?", "mất bao lâu?"]


def test_history_expires_when_idle(dialogue: Dialogue, recording, clock: Clock) -> None:
    dialogue.answer("Chuyển trường THCS cần giấy tờ gì?", "telegram:5")
    clock.now += IDLE_EXPIRY_SECONDS - 60
    dialogue.answer("còn THPT thì sao?", "telegram:5")
    assert recording.questions[-1] == "Chuyển trường THPT cần giấy tờ gì?"
    clock.now += IDLE_EXPIRY_SECONDS + 60
    dialogue.answer("mất bao lâu?", "telegram:5")
    assert recording.questions[-1] == "mất bao lâu?"


def test_conversations_do_not_mix(dialogue: Dialogue, recording) -> None:
    dialogue.answer("Chuyển trường THCS cần giấy tờ gì?", "telegram:1")
    dialogue.answer("Xin bản sao bằng tốt nghiệp ở đâu?", "telegram:2")
    dialogue.answer("thế còn lệ phí?", "telegram:1")
    dialogue.answer("thế còn lệ phí?", "telegram:2")
    assert recording.questions[2] == "Lệ phí chuyển trường (THCS)?"
    assert recording.questions[3] == "Lệ phí bản sao bằng tốt nghiệp?"


# --- Clarification -----------------------------------------------------------------------------


def test_ambiguous_level_is_clarified_then_answered(dialogue: Dialogue, recording) -> None:
    clarify = dialogue.answer("chuyen truong cho con can giay to gi", "zalo:9")
    assert "THCS hay THPT" in clarify.answer and not clarify.refused
    answer = dialogue.answer("Cháu đang học lớp 11 ạ", "zalo:9")
    assert recording.questions[-1] == "chuyen truong cho con can giay to gi (THPT)?"
    assert answer.citations[0].doc_id == THPT_CARD


def test_level_named_or_unambiguous_needs_no_clarification(dialogue: Dialogue) -> None:
    for question in ("chuyển trường THCS cần giấy tờ gì", "xin bản sao bằng tốt nghiệp"):
        answer = dialogue.answer(question, "x")
        assert answer.citations and "THCS hay THPT" not in answer.answer


def test_without_a_conversation_id_the_bot_asks_back_with_whole_questions(
    dialogue: Dialogue, recording
) -> None:
    """No conversation to carry "2" back: each choice carries the whole question instead, so
    a link or a button answers it (console, REST without an id)."""
    answer = dialogue.answer("Thủ tục chuyển trường cho con")
    assert answer.status == STATUS_CLARIFY and "THCS hay THPT" in answer.answer
    chosen = answer.suggestions[1].question
    assert "THPT" in chosen and "chuyển trường" in chosen
    again = dialogue.answer(chosen)
    assert again.citations[0].doc_id == THPT_CARD


def test_the_same_fact_at_both_levels_needs_no_level(dialogue: Dialogue) -> None:
    # Neither transfer charges a fee: asking which level would only delay the answer.
    answer = dialogue.answer("chuyển trường có mất phí không", "fee")
    assert answer.status != STATUS_CLARIFY and answer.lead and "Lệ phí" in answer.lead


def test_a_new_question_drops_the_pending_clarification(dialogue: Dialogue, recording) -> None:
    dialogue.answer("Thủ tục chuyển trường cho con", "c")
    answer = dialogue.answer("Xin bản sao bằng tốt nghiệp ở đâu?", "c")
    assert recording.questions[-1] == "Xin bản sao bằng tốt nghiệp ở đâu?"
    assert answer.citations[0].doc_id == "tthc-ban-sao-van-bang"


def test_level_clarification_offers_the_levels_and_a_number_picks_one(
    dialogue: Dialogue, recording
) -> None:
    clarify = dialogue.answer("chuyen truong cho con can giay to gi", "zalo:9")
    assert clarify.status == STATUS_CLARIFY and not clarify.refused
    assert [s.label for s in clarify.suggestions] == ["THCS", "THPT"]
    answer = dialogue.answer("2", "zalo:9")
    assert recording.questions[-1] == "chuyen truong cho con can giay to gi (THPT)?"
    assert answer.citations[0].doc_id == THPT_CARD


# --- Choosing a suggestion ---------------------------------------------------------------------


@pytest.fixture
def scripted() -> ScriptedResponder:
    return ScriptedResponder()


@pytest.fixture
def store() -> SqlConversationStore:
    return SqlConversationStore("sqlite://")


@pytest.fixture
def chooser(scripted: ScriptedResponder, store: SqlConversationStore, clock: Clock) -> Dialogue:
    return Dialogue(scripted, store, clock=clock)


@pytest.mark.parametrize("reply", ["2", "số 2", "cau 2", "2 ạ"])
def test_a_clarify_turn_keeps_its_suggestions_and_a_number_asks_one(
    chooser: Dialogue, scripted: ScriptedResponder, store: SqlConversationStore, reply: str
) -> None:
    clarify = chooser.answer(UNCLEAR, "zalo:1")
    assert clarify.status == STATUS_CLARIFY and clarify.suggestions == SUGGESTIONS
    (stored,) = store.recent("zalo:1", 5)
    assert stored.kind == "clarify" and stored.suggestions == tuple(SUGGESTIONS)

    answer = chooser.answer(reply, "zalo:1")
    assert scripted.questions == [UNCLEAR, SUGGESTIONS[1].question]
    assert answer.question == SUGGESTIONS[1].question, "answered as if it had been typed"
    assert store.recent("zalo:1", 1)[0].asked == SUGGESTIONS[1].question


def test_a_chosen_suggestion_is_not_asked_back_again(
    chooser: Dialogue, scripted: ScriptedResponder
) -> None:
    chooser.answer(UNCLEAR, "zalo:3")
    chooser.answer("2", "zalo:3")  # picked by its number
    chooser.answer(UNCLEAR, "zalo:3")
    chooser.answer(SUGGESTIONS[0].question, "zalo:3")  # a button or a link sends it whole
    chooser.answer("Lệ phí cấp lại bằng?", "zalo:3")  # a new question of its own
    assert scripted.settled == [False, True, False, True, False]


def test_a_number_without_a_pending_clarify_is_an_ordinary_message(
    chooser: Dialogue, scripted: ScriptedResponder
) -> None:
    chooser.answer("2", "zalo:1")  # nothing asked back yet
    chooser.answer(FEE_QUESTION, "zalo:1")
    chooser.answer("3", "zalo:1")  # after an answer, not a clarify
    chooser.answer(UNCLEAR, "zalo:1")
    chooser.answer("Lệ phí cấp lại bằng?", "zalo:1")  # the conversation moved on
    chooser.answer("1", "zalo:1")
    chooser.answer(UNCLEAR, "zalo:1")
    chooser.answer("7", "zalo:1")  # there is no 7th suggestion
    assert scripted.questions == [
        "2",
        FEE_QUESTION,
        "3",
        UNCLEAR,
        "Lệ phí cấp lại bằng?",
        "1",
        UNCLEAR,
        "7",
    ]


def test_one_conversation_cannot_choose_anothers_suggestion(
    chooser: Dialogue, scripted: ScriptedResponder
) -> None:
    chooser.answer(UNCLEAR, "zalo:1")
    chooser.answer("2", "zalo:2")
    assert scripted.questions[-1] == "2"
    key = suggestions_key(SUGGESTIONS)
    assert chooser.choice("zalo:2", 1, key) is None
    assert chooser.choice("zalo:1", 1, key) == SUGGESTIONS[0]
    assert chooser.choice("zalo:1", 1, "0" * 10) is None, "a key it never offered"


def test_a_clarify_left_idle_is_not_chosen(
    chooser: Dialogue, scripted: ScriptedResponder, clock: Clock
) -> None:
    chooser.answer(UNCLEAR, "zalo:1")
    clock.now += IDLE_EXPIRY_SECONDS + 1
    assert chooser.choice("zalo:1", 1, suggestions_key(SUGGESTIONS)) is None
    chooser.answer("2", "zalo:1")
    assert scripted.questions[-1] == "2"


def test_without_a_conversation_a_number_is_just_a_message(
    chooser: Dialogue, scripted: ScriptedResponder
) -> None:
    chooser.answer(UNCLEAR)
    chooser.answer("2")
    assert scripted.questions[-1] == "2"


def test_the_lead_survives_the_dialogue_and_a_followup_note_joins_it(
    store: SqlConversationStore, clock: Clock
) -> None:
    class LeadEverywhere(ScriptedResponder):
        def answer(self, question: str, conversation_id: str | None = None, **_: object):
            self.questions.append(question)
            return led(question)

    dialogue = Dialogue(LeadEverywhere(), store, clock=clock)
    first = dialogue.answer(FEE_QUESTION, "c")
    assert (first.lead, first.details) == (LEAD, DETAILS)
    dialogue.answer("Hồ sơ chuyển trường THPT gồm những gì?", "c")
    followup = dialogue.answer("còn lệ phí thì sao?", "c")
    assert followup.answer.startswith("(Câu hỏi được hiểu là:")
    assert followup.lead.startswith("(Câu hỏi được hiểu là:") and followup.lead.endswith(LEAD)
    assert followup.details == DETAILS


# --- Storage -----------------------------------------------------------------------------------


def _turn(conversation_id: str, n: int, at: float) -> Turn:
    return Turn(conversation_id, f"q{n}", f"q{n}", f"a{n}", False, "answer", at)


def test_store_keeps_turns_per_conversation_newest_first(tmp_path: Path) -> None:
    store = SqlConversationStore(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    for n in range(3):
        store.append(_turn("a", n, 100.0 + n))
    store.append(_turn("b", 9, 50.0))
    assert [t.asked for t in store.recent("a", 2)] == ["q2", "q1"]
    assert [t.asked for t in store.recent("b", 10)] == ["q9"]
    assert store.purge(before=101.5) == 3
    assert [t.asked for t in store.recent("a", 10)] == ["q2"]
    store.close()
    reopened = SqlConversationStore(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert [t.asked for t in reopened.recent("a", 10)] == ["q2"], "turns survive a restart"
    reopened.close()


def test_store_is_thread_safe(tmp_path: Path) -> None:
    store = SqlConversationStore(f"sqlite:///{tmp_path / 'c.sqlite3'}")

    def write(worker: int) -> None:
        for n in range(25):
            store.append(_turn(f"w{worker}", n, float(n)))
            store.recent(f"w{worker}", 3)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(len(store.recent(f"w{w}", 100)) == 25 for w in range(8))
    store.close()


def test_store_url_comes_from_settings(tmp_path: Path) -> None:
    default = database_url(make_settings(tmp_path / "idx", data_dir=tmp_path / "data"))
    assert default == f"sqlite:///{(tmp_path / 'data' / 'motcua.sqlite3').resolve()}"
    url = "postgresql+psycopg://motcua@db/motcua"
    assert database_url(make_settings(tmp_path / "idx", database_url=url)) == url


@pytest.mark.parametrize("form", ["xin bản sao thì làm thế nào ạ", "xin ban sao mat bao lau"])
def test_a_request_naming_no_paper_asks_which_paper(dialogue: Dialogue, form: str) -> None:
    clarify = dialogue.answer(form, "zalo:paper")
    assert clarify.status == STATUS_CLARIFY
    assert [s.label for s in clarify.suggestions] == ["Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"]
    # the papers no card handles are named, not offered as if the bot could answer them
    assert "bản sao học bạ, bản sao bảng điểm" in clarify.answer
    chosen = dialogue.answer("1", "zalo:paper")
    assert chosen.status == "answered"
    assert chosen.citations[0].doc_id == "tthc-ban-sao-van-bang"


def test_a_request_naming_its_cards_procedure_is_answered(dialogue: Dialogue) -> None:
    # "sổ gốc" is the diploma copy's own ("… từ sổ gốc"): no paper left to ask about
    answer = dialogue.answer("phải tra sổ gốc để xin bản sao thì có lâu không", "zalo:book")
    assert answer.status == "answered"
    assert answer.citations[0].doc_id == "tthc-ban-sao-van-bang"


def test_a_request_naming_its_paper_is_answered(dialogue: Dialogue) -> None:
    answer = dialogue.answer("xin bản sao bằng tốt nghiệp thì làm thế nào", "zalo:named")
    assert answer.status == "answered"
    assert answer.citations[0].doc_id == "tthc-ban-sao-van-bang"
