"""How often each accented form of a syllable is written: the restorer's prior.

The trigram model knows which forms exist (the dictionary) and how they follow one another in
the documents ingested, but a dictionary says nothing of how common a form is: "cua" is "cửa"
in many entries and "của" in few, so over five cards a question typed without marks came back
as "cửa", "vẽ", "cổ", "dược". wordfreq's Vietnamese list (word frequencies of running text:
Wikipedia, subtitles, news, the web; Apache-2.0, its data CC BY-SA 4.0) gives each form's
frequency; the share of each form among those that fold alike weighs the restorer's
candidates (`DiacriticRestorer`).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from motcua.ingest.restoration.spelling import normalize_tone
from motcua.text import fold

__all__ = ["form_shares"]


@lru_cache(maxsize=1)
def _shares() -> dict[str, dict[str, float]]:
    from wordfreq import get_frequency_dict

    by_fold: dict[str, dict[str, float]] = defaultdict(dict)
    for word, frequency in get_frequency_dict("vi", wordlist="small").items():
        form = normalize_tone(word).lower()
        if form.isalpha():
            forms = by_fold[fold(form)]
            forms[form] = forms.get(form, 0.0) + frequency
    return {
        folded: {form: f / sum(forms.values()) for form, f in forms.items()}
        for folded, forms in by_fold.items()
    }


def form_shares(folded: str) -> dict[str, float]:
    """Each written form of a folded syllable with its share of their uses ({} if unlisted):
    form_shares("cua") gives "của" about 0.95."""
    return _shares().get(folded, {})
