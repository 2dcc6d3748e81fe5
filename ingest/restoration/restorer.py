"""`DiacriticRestorer`: the readings each token of a text may take, and the decoding that
chooses among them with the language model (Viterbi for the best sequence, forward-backward
for how sure it is of each syllable)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from motcua.ingest.restoration.language_model import (
    _LOG_FLOOR,
    BOS,
    EOS,
    SyllableTrigramModel,
)
from motcua.ingest.restoration.spelling import (
    _BOUNDARY,
    _TOKEN,
    _VOWEL,
    CODE,
    NUM,
    _apply_case,
    _has_mark,
    _number_class,
    case_evidence,
    normalize_tone,
)
from motcua.ingest.restoration.word_frequency import form_shares
from motcua.ingest.restoration.word_lists import _ACRONYM_BY_FOLD
from motcua.text import fold, nfc

__all__ = [
    "Candidate",
    "DiacriticRestorer",
    "Reading",
    "Restoration",
    "Token",
]

# The weight of a form's share of running text (`form_shares`) against the language model's
# log-probability, and the share a form the list lacks is given. Chosen on the development
# questions typed without marks (0.3 to 0.6 score alike); benchmarks/README.md has the
# figures on questions never used to choose them.
PRIOR_WEIGHT = 0.5
UNLISTED_SHARE = 1e-3


def _segments(tokens: list[Token]) -> Iterator[list[Token]]:
    """Sentence-like runs of tokens: the LM context restarts at each boundary."""
    segment: list[Token] = []
    for tok in tokens:
        if tok.boundary_before and segment:
            yield segment
            segment = []
        segment.append(tok)
    if segment:
        yield segment


@dataclass(frozen=True)
class Candidate:
    """One reading of an input token; `logw` is a log-weight added to the LM score (<= 0)."""

    form: str  # lower-case spelling as the LM knows it
    logw: float = 0.0


@dataclass(frozen=True)
class Reading:
    """One word token of a decoded text: as typed, as chosen, and how sure the model is."""

    start: int  # span of the token in the decoded text
    end: int
    raw: str
    shown: str  # the chosen form, cased like `raw`
    posterior: float  # P(chosen form | the whole sentence), from forward-backward


@dataclass(frozen=True)
class Restoration:
    text: str
    confidence: float  # mean per-syllable probability that the chosen form is right, 0..1
    syllables: int  # alphabetic tokens scored
    unknown: int  # alphabetic tokens neither known nor restorable
    readings: tuple[Reading, ...] = ()  # filled by `decode_tokens(..., marginals=True)`


@dataclass
class Token:
    """One alphanumeric span of the input with the readings the decoder may choose from."""

    start: int
    end: int
    raw: str
    kind: str  # "word", or "num" for numbers and codes, which are copied as typed
    cands: list[Candidate]
    boundary_before: bool


class DiacriticRestorer(SyllableTrigramModel):
    """Syllable trigram KN model + Viterbi restoration of Vietnamese diacritics."""

    def _build(self) -> None:
        super()._build()
        # The frequency list is read with the model (an index's load, a fit), not while the
        # first question typed without marks waits for its answer.
        form_shares("")

    # ---------------------------------------------------------------- restoration
    def restore(self, text: str) -> str:
        return self.analyse(text).text

    def restore_with_confidence(self, text: str) -> tuple[str, float]:
        result = self.analyse(text)
        return result.text, result.confidence

    def analyse(self, text: str) -> Restoration:
        """Restore `text` and report how sure the model is."""
        tokens = self.tokenize(normalize_tone(text))
        return self.decode_tokens(nfc(text) if tokens else text, tokens)

    def tokenize(
        self, text: str, candidates: Callable[[str], list[Candidate]] | None = None
    ) -> list[Token]:
        """Tokens of `text` with their readings: `candidates(raw)`, by default every seen
        accented form. With a custom `candidates` only pure numbers are copied as typed, so
        OCR tokens such as "S6" can still be read as words."""
        tokens: list[Token] = []
        last = 0
        for m in _TOKEN.finditer(text):
            raw = m.group(0)
            boundary = bool(_BOUNDARY.search(text[last : m.start()])) or not tokens
            last = m.end()
            number = _number_class(raw)
            if number == NUM or (number and candidates is None):
                tokens.append(Token(m.start(), m.end(), raw, "num", [Candidate(number)], boundary))
                continue
            cands = (candidates or self.candidates)(raw)
            tokens.append(Token(m.start(), m.end(), raw, "word", cands, boundary))
        self.add_case_penalties(tokens)
        return tokens

    def add_case_penalties(self, tokens: list[Token]) -> None:
        """Weigh each token's candidates by how well they fit the case it was typed in."""
        evidence = case_evidence([t.raw for t in tokens], [t.boundary_before for t in tokens])
        for tok, cap in zip(tokens, evidence, strict=True):
            if cap is None or len(tok.cands) < 2:
                continue
            tok.cands = [
                Candidate(c.form, c.logw + self.case_logprob(c.form, cap))
                if c.form not in (NUM, CODE)
                else c
                for c in tok.cands
            ]

    def candidates(self, raw: str) -> list[Candidate]:
        """Readings of one alphabetic token; an accented token already known stays as typed."""
        low = raw.lower()
        if raw.isupper() and len(raw) > 1:
            acronym = _ACRONYM_BY_FOLD.get(fold(raw))
            if acronym:
                return [Candidate(acronym.lower())]
        if _has_mark(raw) and self.known(low):
            return [Candidate(low)]
        folded = fold(raw)
        forms = self.forms(folded)[: self.max_candidates]
        if not forms:
            return [Candidate(low)]
        shares = form_shares(folded) if len(forms) > 1 else {}
        if not shares:
            return [Candidate(f) for f in forms]
        # How common each form is in running text: the model's own counts come from a
        # dictionary and the documents ingested, which say what exists, not what people write.
        return [
            Candidate(f, PRIOR_WEIGHT * math.log(max(shares.get(f, 0.0), UNLISTED_SHARE)))
            for f in forms
        ]

    def decode_tokens(
        self, text: str, tokens: list[Token], *, marginals: bool = False
    ) -> Restoration:
        """Viterbi over `tokens` (spans of `text`), then splice the chosen forms into `text`.

        With `marginals`, forward-backward instead: each token takes its most probable form
        over every reading of the sentence (which maximises the expected number of right
        syllables) and its `Reading` carries that probability.
        """
        if not tokens:
            return Restoration(text, 1.0, 0, 0)
        chosen: list[str] = []
        probs: list[float] = []
        posteriors: list[float] = []
        for segment in _segments(tokens):
            if marginals:
                best = [max(m.items(), key=lambda kv: kv[1]) for m in self._marginals(segment)]
                forms = [form for form, _ in best]
                posteriors += [p for _, p in best]
                cands = [[c.form for c in tok.cands] for tok in segment]
                p = self._posteriors(
                    [tok.cands for tok in segment],
                    [options.index(f) for options, f in zip(cands, forms, strict=True)],
                    forms,
                )
            else:
                forms, p = self._viterbi(segment)
            chosen += forms
            probs += p

        out: list[str] = []
        readings: list[Reading] = []
        last = 0
        scored, unknown, total_p = 0, 0, 0.0
        for i, (tok, form, prob) in enumerate(zip(tokens, chosen, probs, strict=True)):
            out.append(text[last : tok.start])
            last = tok.end
            if tok.kind == "num" or form in (NUM, CODE):
                out.append(tok.raw)
                continue
            shown = _apply_case(tok.raw, form)
            out.append(shown)
            if marginals:
                raw = text[tok.start : tok.end]  # as typed, before tone normalisation
                readings.append(Reading(tok.start, tok.end, raw, shown, posteriors[i]))
            scored += 1
            if not self.known(form):
                unknown += 1
                # Unknown: an all-caps run of consonants is an acronym ("GD"), fine as typed;
                # a marked or capitalised token may be a name; the rest is unrestorable noise.
                if tok.raw.isupper() and not _VOWEL.search(fold(tok.raw)):
                    prob = 1.0
                else:
                    prob = 0.5 if (_has_mark(tok.raw) or tok.raw.isupper()) else 0.0
            total_p += prob
        out.append(text[last:])
        confidence = total_p / scored if scored else 1.0
        return Restoration("".join(out), confidence, scored, unknown, tuple(readings))

    def _marginals(self, seg: list[Token]) -> list[dict[str, float]]:
        """P(form at i | the whole segment) for every candidate form, by forward-backward over
        the lattice `_viterbi` searches (states: pairs of neighbouring candidates).

        Unlike `_posteriors`, which trusts the chosen neighbours, this sums over their
        alternatives too: a form that wins only if a doubtful neighbour is right scores low.
        Probabilities, not logs, rescaled at each position (the scale cancels out): the sums
        then cost a multiplication each.
        """
        p2, p3, ctx3 = self._p2, self._p3, self._ctx3
        forms = [[c.form for c in tok.cands] for tok in seg]
        weights = [[math.exp(c.logw) for c in tok.cands] for tok in seg]
        n = len(seg)
        floor = math.exp(-self.margin)

        def context(i: int, a: int) -> str:
            return forms[i][a] if i >= 0 and a >= 0 else BOS

        # alpha[i][(a, b)]: mass of the paths with candidate a at i-1 and b at i.
        first = {
            (-1, j): math.exp(self.logprob(BOS, BOS, f)) * weights[0][j]
            for j, f in enumerate(forms[0])
        }
        alpha: list[dict[tuple[int, int], float]] = [self._prune_mass(first, floor)]
        for i in range(1, n):
            by_b: dict[int, list[tuple[int, float]]] = defaultdict(list)
            for (a, b), mass in alpha[-1].items():
                by_b[b].append((a, mass))
            cur: dict[tuple[int, int], float] = {}
            for b, states in by_b.items():
                v = forms[i - 1][b]
                plain = 0.0
                seen: list[tuple[float, str, tuple[int, int, int, int]]] = []
                for a, mass in states:
                    u = context(i - 2, a)
                    row = ctx3.get((u, v))
                    if row is None:
                        plain += mass  # unseen (u, v): P(w | u v) = P(w | v) for all such u
                    else:
                        seen.append((mass, u, row))
                for k, w in enumerate(forms[i]):
                    pw = p2(v, w)
                    total = plain * pw
                    for mass, u, row in seen:
                        total += mass * p3(row, (u, v, w), pw)
                    cur[(b, k)] = total * weights[i][k]
            alpha.append(self._prune_mass(cur, floor))
        # beta[i][(a, b)]: mass of the continuations of state (a, b) to </s>.
        beta: list[dict[tuple[int, int], float]] = [{} for _ in range(n)]
        beta[n - 1] = {
            (a, b): math.exp(self.logprob(context(n - 2, a), forms[n - 1][b], EOS))
            for a, b in alpha[n - 1]
        }
        for i in range(n - 2, -1, -1):
            nxt: dict[int, list[tuple[int, float]]] = defaultdict(list)
            for (b, k), mass in beta[i + 1].items():
                nxt[b].append((k, mass * weights[i + 1][k]))
            plain_cache: dict[int, float] = {}
            layer: dict[tuple[int, int], float] = {}
            for a, b in alpha[i]:
                u, v = context(i - 1, a), forms[i][b]
                row = ctx3.get((u, v))
                if row is None and b in plain_cache:
                    layer[(a, b)] = plain_cache[b]
                    continue
                total = 0.0
                for k, mass in nxt.get(b, ()):
                    w = forms[i + 1][k]
                    pw = p2(v, w)
                    total += mass * (pw if row is None else p3(row, (u, v, w), pw))
                layer[(a, b)] = total
                if row is None:
                    plain_cache[b] = total
            top = max(layer.values(), default=0.0)
            beta[i] = {k: m / top for k, m in layer.items()} if top > 0 else layer
        out: list[dict[str, float]] = []
        for i in range(n):
            joint: dict[int, float] = defaultdict(float)
            for state, mass in alpha[i].items():
                joint[state[1]] += mass * beta[i].get(state, 0.0)
            z = sum(joint.values())
            probs: dict[str, float] = {}
            for b, mass in joint.items():
                # Two candidates may share a form (case penalties keep both): add them up.
                probs[forms[i][b]] = probs.get(forms[i][b], 0.0) + (mass / z if z > 0 else 0.0)
            out.append(probs)
        return out

    def _prune_mass(
        self, states: dict[tuple[int, int], float], floor: float
    ) -> dict[tuple[int, int], float]:
        """Rescale to a best state of 1 and keep the Viterbi's beam: states below `floor`
        (e^-margin) of the best carry no mass worth summing."""
        top = max(states.values(), default=0.0)
        if top <= 0:
            return states
        kept = [(k, m / top) for k, m in states.items() if m >= top * floor]
        if len(kept) > self.beam:
            kept.sort(key=lambda kv: kv[1], reverse=True)
            kept = kept[: self.beam]
        return dict(kept)

    def _viterbi(self, seg: list[Token]) -> tuple[list[str], list[float]]:
        """Best forms for one sentence-like segment, plus each form's local posterior.

        Exact second-order Viterbi made cheap by the model's structure: when the trigram
        context (u, v) was never seen, P(w | u v) = P(w | v), so all such u share one max.
        """
        log, p2, p3, ctx3 = math.log, self._p2, self._p3, self._ctx3
        cands = [tok.cands for tok in seg]
        # layers[i][(a, b)] = (score, index of the candidate before a); a = -1 is <s>.
        first = {
            (-1, j): (self.logprob(BOS, BOS, c.form) + c.logw, -1) for j, c in enumerate(cands[0])
        }
        layers: list[dict[tuple[int, int], tuple[float, int]]] = [first]
        for i in range(1, len(seg) + 1):
            prev = layers[-1]
            prev_forms = [c.form for c in cands[i - 2]] if i >= 2 else [BOS]
            cur_cands = cands[i] if i < len(seg) else [Candidate(EOS)]
            by_b: dict[int, list[tuple[int, float]]] = defaultdict(list)
            for (a, b), (score, _) in prev.items():
                by_b[b].append((a, score))
            cur: dict[tuple[int, int], tuple[float, int]] = {}
            for b, states in by_b.items():
                v = cands[i - 1][b].form
                plain_a, plain_score = -2, -math.inf
                seen: list[tuple[int, float, str, tuple[int, int, int, int]]] = []
                for a, score in states:
                    u = prev_forms[a] if a >= 0 else BOS
                    row = ctx3.get((u, v))
                    if row is None:
                        if score > plain_score:
                            plain_a, plain_score = a, score
                    else:
                        seen.append((a, score, u, row))
                for k, c in enumerate(cur_cands):
                    w = c.form
                    pw = p2(v, w)
                    best_s, best_a = plain_score + (log(pw) if pw > 0 else _LOG_FLOOR), plain_a
                    for a, score, u, row in seen:
                        q = p3(row, (u, v, w), pw)
                        s = score + (log(q) if q > 0 else _LOG_FLOOR)
                        if s > best_s:
                            best_s, best_a = s, a
                    if best_a == -2:
                        continue
                    best_s += c.logw
                    old = cur.get((b, k))
                    if old is None or best_s > old[0]:
                        cur[(b, k)] = (best_s, best_a)
            if len(cur) > self.beam:
                # Beam: states far below the best never win in practice.
                top = max(v[0] for v in cur.values())
                kept = [kv for kv in cur.items() if kv[1][0] >= top - self.margin]
                if len(kept) > self.beam:
                    kept.sort(key=lambda kv: kv[1][0], reverse=True)
                    kept = kept[: self.beam]
                cur = dict(kept)
            layers.append(cur)
        # The last layer holds (last candidate, </s>) states; walk the back-pointers.
        (b, _), (_, a) = max(layers[-1].items(), key=lambda kv: kv[1][0])
        n = len(seg)
        idx = [0] * n
        idx[n - 1] = b
        for i in range(n - 1, 0, -1):
            idx[i - 1] = a
            a = layers[i][(a, idx[i])][1]
        forms = [cands[i][idx[i]].form for i in range(n)]
        return forms, self._posteriors(cands, idx, forms)

    def _posteriors(
        self, cands: list[list[Candidate]], idx: list[int], forms: list[str]
    ) -> list[float]:
        """P(chosen form at i | chosen neighbours), a cheap per-syllable confidence."""
        lp = self.logprob
        n = len(forms)
        ctx = [BOS, BOS, *forms, EOS]
        out: list[float] = []
        for i in range(n):
            if len(cands[i]) == 1:
                out.append(1.0)
                continue
            u, v = ctx[i], ctx[i + 1]
            nxt = ctx[i + 3]
            nxt2 = ctx[i + 4] if i + 4 < len(ctx) else None
            scores = []
            for c in cands[i]:
                s = lp(u, v, c.form) + c.logw + lp(v, c.form, nxt)
                if nxt2 is not None:
                    s += lp(c.form, nxt, nxt2)
                scores.append(s)
            top = max(scores)
            z = sum(math.exp(s - top) for s in scores)
            out.append(math.exp(scores[idx[i]] - top) / z)
        return out
