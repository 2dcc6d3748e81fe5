"""Answering one question: retrieval read against the question, whether the documents
answer it, the answer composed and cited, and the dialogue and pipeline around it."""
