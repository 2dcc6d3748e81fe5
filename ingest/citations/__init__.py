"""References to legal documents inside Vietnamese administrative text.

Every mention such as "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ
chế một cửa…" (or its OCR form "Nghi dinh 61/2018/ND-CP ngay 23/4/2018 ctia Chinh phu") becomes a
`LegalRef`: canonical number, type, ISO date, issuer, subject, where it is and the passage that
quotes it, plus the amendment relations the text states ("A sửa đổi, bổ sung … B", "B (được sửa
đổi tại A)", "Nghị định này thay thế B", "B … hết hiệu lực").

Matching runs on a folded copy of the text that keeps every character at its original offset,
so spans and quotes always point into the text as written. The modules, lowest first:

- `folding`: the offset-keeping folded copy;
- `vocabulary`: type words, type and issuer abbreviations (after Nghị định 30/2020/NĐ-CP) and
  the words that join a mention's parts ("số", "của", "về", "sửa đổi");
- `dates`: "ngày 23/4/2018", "ngày 05 tháng 5 năm 2025" as ISO dates;
- `document_numbers`: số hiệu ("61/2018/NĐ-CP"), their lookup keys, and the type and issuer
  their symbols imply;
- `issuers`: issuing bodies and the places after them, provinces;
- `legal_ref`: the `LegalRef` record;
- `amendments`: the relations a text states between the documents it cites;
- `references`: `extract_legal_refs`, every mention of a text with its relations.

`motcua.ingest.metadata` reads a document's own header with the same vocabulary, dates,
numbers and bodies.
"""
