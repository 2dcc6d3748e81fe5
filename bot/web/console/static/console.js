// The operator console's question box: asks /console/api/answer and shows the answer with
// its citations. Plain DOM code, no build step; the page works offline (nothing from a CDN).
"use strict";

(() => {
  const form = document.getElementById("ask-form");
  if (!form) return;
  const api = form.dataset.api;
  const input = document.getElementById("q");
  const statusLine = document.getElementById("status");
  const result = document.getElementById("result");
  const answerBox = document.getElementById("answer");
  const notice = document.getElementById("notice");
  const list = document.getElementById("citations");
  const noCitations = document.getElementById("no-citations");
  const template = document.getElementById("citation-template");
  const copyButton = document.getElementById("copy");
  const filterNames = ["doc_type", "issuer", "year"];
  const copyLabel = copyButton.textContent;
  const curatedBadge = document.getElementById("curated-badge");
  const feedback = document.getElementById("feedback");
  const feedbackStatus = document.getElementById("feedback-status");
  const details = document.getElementById("answer-details");
  const rest = document.getElementById("answer-rest");
  const suggestions = document.getElementById("suggestions");
  const suggestionList = document.getElementById("suggestion-list");
  let fullAnswer = ""; // what "copy" copies: the lead and the rest together
  let latest = 0; // answers to older questions that arrive late are dropped
  let answerId = null; // what 👍/👎 rate

  function params() {
    const query = new URLSearchParams();
    query.set("q", input.value.trim());
    for (const name of filterNames) {
      const value = form.elements[name].value;
      if (value) query.set(name, value);
    }
    return query;
  }

  function passageNodes(segments) {
    const fragment = document.createDocumentFragment();
    for (const segment of segments) {
      if (segment.mark) {
        const mark = document.createElement("mark");
        mark.textContent = segment.text;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(segment.text));
      }
    }
    return fragment;
  }

  function citationItem(citation) {
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.docId = citation.doc_id;
    item.querySelector(".cite-label").textContent = `[${citation.number}] ${citation.label}`;
    item.querySelector(".cite-section").textContent = citation.section ? `mục ${citation.section}` : "";
    for (const field of item.querySelectorAll("[data-field]")) {
      const value = citation[field.dataset.field];
      field.textContent = value || "";
      field.parentElement.hidden = !value; // a card has no number or issuer: say nothing
    }
    item.querySelector(".passage").appendChild(passageNodes(citation.passage));
    item.querySelector(".doc-link").href = citation.link;
    const cardLink = item.querySelector(".card-link");
    if (citation.card_link) {
      cardLink.href = citation.card_link;
      cardLink.hidden = false;
    }
    return item;
  }

  // Each suggestion is a plain link to this page asking its question (the server built the
  // URL; label and question go in as text, never as markup).
  function suggestionItem(suggestion) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = suggestion.link;
    link.textContent = suggestion.label;
    const question = document.createElement("span");
    question.className = "muted suggestion-question";
    question.textContent = suggestion.question;
    item.append(link, question);
    return item;
  }

  function show(body) {
    fullAnswer = body.answer;
    const led = Boolean(body.lead && body.details);
    answerBox.textContent = led ? body.lead : body.answer;
    answerBox.classList.toggle("lead", led);
    rest.textContent = led ? body.details : "";
    details.open = false;
    details.hidden = !led;
    const offered = body.suggestions || [];
    suggestionList.replaceChildren(...offered.map(suggestionItem));
    suggestions.hidden = offered.length === 0;
    answerBox.classList.toggle("refused", body.refused);
    notice.textContent = body.notice || "";
    notice.hidden = !body.notice;
    list.replaceChildren(...body.citations.map(citationItem));
    noCitations.hidden = body.citations.length > 0;
    copyButton.textContent = copyLabel;
    curatedBadge.hidden = !body.curated;
    answerId = body.answer_id || null;
    feedback.hidden = !answerId;
    feedbackStatus.textContent = "";
    for (const button of feedback.querySelectorAll("button")) {
      button.setAttribute("aria-pressed", "false");
      button.disabled = false;
    }
    result.hidden = false;
  }

  async function rate(button) {
    if (!answerId) return;
    const rated = answerId;
    for (const other of feedback.querySelectorAll("button")) other.disabled = true;
    try {
      const response = await fetch(feedback.dataset.api, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify({ answer_id: rated, rating: button.dataset.rating }),
      });
      if (rated !== answerId) return; // another question was asked meanwhile
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      for (const other of feedback.querySelectorAll("button")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      feedbackStatus.textContent = "Cảm ơn, đã ghi nhận đánh giá.";
    } catch (error) {
      feedbackStatus.textContent = `Chưa gửi được đánh giá: ${error.message}`;
    } finally {
      // A second tap changes the vote (the server keeps one per person).
      if (rated === answerId) for (const other of feedback.querySelectorAll("button")) other.disabled = false;
    }
  }

  async function ask() {
    if (!input.value.trim()) return;
    const query = params();
    const ticket = ++latest;
    statusLine.textContent = "Đang tìm câu trả lời…";
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(`${api}?${query}`, { headers: { accept: "application/json" } });
      const body = await response.json();
      if (ticket !== latest) return;
      if (!response.ok) throw new Error(body.detail || `HTTP ${response.status}`);
      show(body);
      statusLine.textContent = body.refused
        ? "Không có câu trả lời."
        : body.status === "clarify"
          ? "Câu hỏi chưa rõ: chọn một gợi ý bên dưới."
          : `${body.citations.length} nguồn trích dẫn.`;
      history.replaceState(null, "", `?${query}`);
    } catch (error) {
      if (ticket === latest) statusLine.textContent = `Không hỏi được: ${error.message}`;
    } finally {
      if (ticket === latest) form.removeAttribute("aria-busy");
    }
  }

  async function copyAnswer() {
    const text = fullAnswer;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without clipboard permission (plain http on a LAN address): the old way.
      const scratch = document.createElement("textarea");
      scratch.value = text;
      document.body.appendChild(scratch);
      scratch.select();
      document.execCommand("copy");
      scratch.remove();
    }
    copyButton.textContent = "Đã sao chép";
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ask();
  });
  for (const name of filterNames) {
    form.elements[name].addEventListener("change", () => {
      if (input.value.trim()) ask();
    });
  }
  copyButton.addEventListener("click", copyAnswer);
  for (const button of feedback.querySelectorAll("button")) {
    button.addEventListener("click", () => rate(button));
  }

  // A shared link (/console?q=...&year=2025) asks at once.
  const given = new URLSearchParams(location.search);
  for (const name of filterNames) {
    if (given.has(name)) form.elements[name].value = given.get(name);
  }
  if (given.get("q")) {
    input.value = given.get("q");
    ask();
  }
})();
