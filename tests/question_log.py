"""A made-up question log: answered, clarified and refused questions over several days and
every channel, with ratings. The insights tests, the browser test, `docs/screenshots.py` and
`benchmarks/insights.py` fill their databases with it, through `Interactions.log_answers` (so
rows are masked and shaped exactly as the live log writes them).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from sqlalchemy import insert

from motcua.settings import Settings
from motcua.storage.database import Database
from motcua.storage.interactions import Interactions, LoggedAnswer
from motcua.storage.schema import feedback
from motcua.types import STATUS_CLARIFY, Answer, Citation

CHANNELS = ("api", "console", "telegram", "zalo")
DAY = 86_400

# What the bot cannot answer, each topic a few ways, with and without diacritics.
UNANSWERED: dict[str, list[str]] = {
    "hoc-phi": [
        "Hồ sơ xin miễn giảm học phí gồm những gì?",
        "ho so xin mien giam hoc phi gom nhung gi",
        "xin miễn học phí cho con cần giấy tờ gì",
        "mien giam hoc phi can nop giay to nao",
    ],
    "hoc-bong": [
        "Điều kiện xét học bổng khuyến khích học tập là gì?",
        "dieu kien xet hoc bong khuyen khich hoc tap",
        "làm sao để được học bổng khuyến khích học tập",
    ],
    "phuc-khao": [
        "Phúc khảo bài thi tốt nghiệp THPT như thế nào?",
        "phuc khao bai thi tot nghiep thpt nhu the nao",
        "thời hạn nộp đơn phúc khảo bài thi tốt nghiệp",
    ],
    "ket-hon": ["Đăng ký kết hôn cần giấy tờ gì?", "dang ky ket hon can giay to gi"],
    "day-them": [
        "Đăng ký dạy thêm học thêm cần hồ sơ gì?",
        "dang ky day them hoc them can ho so gi",
        "giấy phép dạy thêm tại nhà",
    ],
    "bao-hiem": [
        "Học sinh mua bảo hiểm y tế ở đâu?",
        "hoc sinh mua bao hiem y te o dau",
        "mức đóng bảo hiểm y tế cho học sinh",
    ],
}
# How often each topic comes up (the page lists the biggest first).
WEIGHTS = {"hoc-phi": 6, "hoc-bong": 4, "phuc-khao": 3, "ket-hon": 2, "day-them": 2, "bao-hiem": 1}

CARDS = {
    "tthc-ban-sao-van-bang": "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
    "tthc-chinh-sua-van-bang": "Chỉnh sửa nội dung văn bằng, chứng chỉ",
    "tthc-chuyen-truong-thcs": "Chuyển trường đối với học sinh trung học cơ sở (THCS)",
    "tthc-chuyen-truong-thpt": "Chuyển trường đối với học sinh trung học phổ thông (THPT)",
}
PLAN = ("000_5348ec65c6d4a033", "Kế hoạch số 1655/KH-SGDĐT", "1655/KH-SGDĐT")
# (question, documents cited, how often)
ANSWERED: list[tuple[str, tuple[str, ...], int]] = [
    ("Xin cấp bản sao bằng tốt nghiệp ở đâu?", ("tthc-ban-sao-van-bang",), 8),
    ("xin ban sao bang tot nghiep can giay to gi", ("tthc-ban-sao-van-bang",), 5),
    ("Chuyển trường cho con học lớp 7 cần gì?", ("tthc-chuyen-truong-thcs",), 6),
    ("chuyen truong thpt trong tinh", ("tthc-chuyen-truong-thpt",), 3),
    ("Sửa ngày sinh trên bằng tốt nghiệp", ("tthc-chinh-sua-van-bang", "tthc-ban-sao-van-bang"), 3),
    ("Kế hoạch tuyên truyền cải cách hành chính năm 2025", (PLAN[0],), 2),
]
UNCLEAR = ["chuyển trường", "bằng tốt nghiệp", "hồ sơ"]
# As long as the bot's answers and their quoted passages (the log's rows are mostly these).
ANSWER = (
    "Thủ tục: Cấp bản sao văn bằng, chứng chỉ từ sổ gốc.\n"
    "Hồ sơ gồm: đơn đề nghị cấp bản sao theo mẫu; bản chính hoặc bản sao có chứng thực giấy "
    "tờ tùy thân còn hiệu lực; giấy tờ chứng minh quan hệ khi người yêu cầu là cha, mẹ, con, "
    "vợ, chồng, anh, chị, em ruột hoặc người thừa kế của người được cấp bản chính.\n"
) * 4
QUOTE = (
    "Người yêu cầu cấp bản sao văn bằng, chứng chỉ từ sổ gốc nộp hồ sơ trực tiếp hoặc qua bưu "
    "điện tại cơ quan, cơ sở giáo dục đang quản lý sổ gốc cấp văn bằng, chứng chỉ."
)
# How people wrap a question: with `variety`, each refused question gets one of each, so a
# large log has hundreds of distinct wordings per topic, as a real one does.
OPENINGS = ["", "cho em hỏi ", "cho mình hỏi ", "xin hỏi ", "anh chị ơi ", "chị ơi cho hỏi "]
CLOSINGS = ["", " ạ", " vậy", " với ạ", " năm 2026", " ở Long An", " cho con tôi", " gấp"]


@dataclass
class MadeLog:
    """What was logged: ids by outcome, for tests to check figures against."""

    ids: list[str] = field(default_factory=list)
    refused: int = 0
    clarify: int = 0
    answered: int = 0
    ups: int = 0
    downs: int = 0


def _citation(doc_id: str) -> Citation:
    if doc_id == PLAN[0]:
        return Citation(doc_id, PLAN[1], PLAN[2], "II. Nội dung", QUOTE, 1.0)
    return Citation(doc_id, CARDS[doc_id], None, "Thành phần hồ sơ", QUOTE, 1.0)


def _answer(rng: random.Random, variety: bool) -> tuple[Answer, str]:
    roll = rng.random()
    if roll < 0.22:
        topic = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        question = rng.choice(UNANSWERED[topic])
        if variety:
            question = rng.choice(OPENINGS) + question.rstrip("?") + rng.choice(CLOSINGS)
        if rng.random() < 0.05:  # someone types their phone number: the log masks it
            question += f" gọi 09{rng.randrange(10**8):08d}"
        return Answer(question, "Xin lỗi, chưa có thông tin.", True), "refused"
    if roll < 0.30:
        question = rng.choice(UNCLEAR)
        return Answer(question, "Bạn muốn hỏi…", False, status=STATUS_CLARIFY), "clarify"
    question, cited, _ = rng.choices(ANSWERED, weights=[a[2] for a in ANSWERED])[0]
    citations = [_citation(d) for d in cited]
    return Answer(question, ANSWER, False, citations=citations), "answered"


def make_log(
    database: Database,
    count: int,
    days: int,
    end: float,
    *,
    seed: int = 20,
    batch: int = 5000,
    rated: float = 0.2,
    variety: bool = False,
) -> MadeLog:
    """Log `count` questions spread over the `days` before `end` (Unix time), about `rated`
    of them rated (mostly 👍, 👎 more often on refused questions); `variety` wraps refused
    questions in many ways (see `OPENINGS`)."""
    rng = random.Random(seed)
    log = Interactions(database)
    made = MadeLog()
    for start in range(0, count, batch):
        entries, outcomes = [], []
        for _ in range(min(batch, count - start)):
            answer, outcome = _answer(rng, variety)
            at = end - rng.random() * days * DAY
            channel = rng.choices(CHANNELS, weights=(2, 3, 4, 3))[0]
            user = f"{channel}:{rng.randrange(count // 3 + 1)}"
            elapsed = rng.lognormvariate(-1.0, 0.5)  # about 0.37 s, a long tail
            entries.append(LoggedAnswer(channel, user, answer, elapsed, at))
            outcomes.append(outcome)
        ids = log.log_answers(entries)
        ratings = []
        for question_id, entry, outcome in zip(ids, entries, outcomes, strict=True):
            setattr(made, outcome, getattr(made, outcome) + 1)
            if outcome == "clarify" or rng.random() >= rated:
                continue
            rating = "down" if rng.random() < (0.6 if outcome == "refused" else 0.15) else "up"
            made.ups += rating == "up"
            made.downs += rating == "down"
            ratings.append(
                {
                    "question_id": question_id,
                    "user_key": entry.user_key,
                    "rating": rating,
                    "created_at": min(entry.at + rng.random() * 600, end - 1),
                }
            )
        if ratings:
            with database.write() as connection:
                connection.execute(insert(feedback), ratings)
        made.ids.extend(ids)
    return made


def fill_log(settings: Settings, count: int, days: int, *, embed: bool = True) -> MadeLog:
    """The settings' database with `count` questions over the last `days` days and, with
    `embed`, their unanswered wordings embedded (what the page's background run does after a
    first view), so the page groups them by meaning from the start."""
    from motcua.bot.insights.period import parse_period
    from motcua.bot.insights.service import InsightsService
    from motcua.index.embedders import get_embedder

    database = Database.open(settings)
    try:
        made = make_log(database, count, days, time.time())
        if embed:
            service = InsightsService(database, get_embedder(settings.embedder))
            service.figures(parse_period(None, None, days=days), embed_seconds=None)
    finally:
        database.close()
    return made
