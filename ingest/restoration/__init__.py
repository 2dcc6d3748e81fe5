"""Diacritic restoration for Vietnamese typed without marks (and OCR text after repair).

A syllable trigram language model with interpolated modified Kneser-Ney smoothing scores the
accented forms seen in training for each folded syllable; Viterbi picks the best sequence.
The model learns only from text handed to `fit` (clean ingested documents) plus pyvi's MIT
word list (`default_training_text`), so nothing from test data ships with the product.

The modules, lowest first:

- `word_lists`: acronyms, question wording and the shipped dictionary the model learns from;
- `spelling`: syllable tokens, tone placement, marks and case, and whether a text needs
  restoring at all;
- `word_frequency`: how common each accented form is in running text (wordfreq), the
  prior that weighs the candidates;
- `language_model`: the trigram counts, their smoothing and how often each form is
  capitalised, saved and loaded as one file;
- `restorer`: `DiacriticRestorer`, the readings of each token and the decoding (Viterbi,
  forward-backward) that chooses among them.

OCR'd text is repaired first by `motcua.ingest.ocr_repair`, which decodes with the same model.
"""
