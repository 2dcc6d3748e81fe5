// The console's admin pages: upload and delete documents (following the ingest job), save
// and retire curated answers. Everything writes through the admin JSON API with the session
// cookie of the login, and every change carries the session's CSRF token (the page's
// <meta name="csrf-token">) in X-CSRF-Token. Plain DOM code, no build step.
"use strict";

(() => {
  const JSON_HEADERS = { accept: "application/json", "content-type": "application/json" };
  const POLL_MS = 500;
  const SWITCH_WAIT_MS = 60_000; // the serving process picks up a new index within seconds

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  const CSRF_TOKEN = document.querySelector('meta[name="csrf-token"]')?.content || "";

  async function call(url, options = {}) {
    const method = (options.method || "GET").toUpperCase();
    const headers = { accept: "application/json", ...(options.headers || {}) };
    if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = CSRF_TOKEN;
    const response = await fetch(url, { ...options, headers });
    let body = null;
    try {
      body = await response.json();
    } catch {
      // an empty or non-JSON body: the status says enough
    }
    if (!response.ok) {
      const detail = body && body.detail;
      const error = new Error(typeof detail === "string" ? detail : `HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  // --- documents: upload, delete, the job's progress ---------------------------------------

  const uploadForm = document.getElementById("upload-form");
  if (uploadForm) {
    const jobBox = document.getElementById("job");
    const jobTitle = document.getElementById("job-title");
    const jobStatus = document.getElementById("job-status");
    const bar = document.getElementById("job-progress");
    const jobMessage = document.getElementById("job-message");
    const jobError = document.getElementById("job-error");
    const uploadStatus = document.getElementById("upload-status");
    const fileInput = document.getElementById("files");
    const labels = { queued: "Đang chờ", running: "Đang chạy", done: "Xong", failed: "Lỗi" };
    let busy = false;

    function showJob(job) {
      jobBox.hidden = false;
      jobStatus.textContent = labels[job.status] || job.status;
      jobStatus.dataset.status = job.status;
      if (job.total > 0) {
        bar.max = job.total;
        bar.value = Math.min(job.progress, job.total);
        bar.textContent = `${job.progress}/${job.total}`;
      } else if (job.status === "done") {
        bar.max = 1;
        bar.value = 1;
      } else {
        bar.removeAttribute("value"); // nothing counted yet: an indeterminate bar
      }
      const counted = job.total > 0 ? ` (${job.progress}/${job.total} đoạn)` : "";
      jobMessage.textContent = `${job.message || ""}${counted}`;
      jobError.textContent = job.error || "";
      jobError.hidden = !job.error;
    }

    // The document lists are the server's: fetch this page again and swap them in, so the
    // rows are rendered by the one template.
    async function refreshLists() {
      const response = await fetch(location.pathname, { headers: { accept: "text/html" } });
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const id of ["documents", "uploads"]) {
        const replacement = fresh.getElementById(id);
        if (replacement) document.getElementById(id).replaceWith(replacement);
      }
    }

    // A finished job has published a new index version; the server answers from it once its
    // watcher has switched, which /v1/documents reports as index_version.
    async function waitUntilServed(versionId) {
      const deadline = Date.now() + SWITCH_WAIT_MS;
      while (Date.now() < deadline) {
        const listing = await call(uploadForm.dataset.documents);
        if (listing.index_version !== null && listing.index_version >= versionId) return true;
        await sleep(POLL_MS);
      }
      return false;
    }

    async function follow(job) {
      showJob(job);
      while (job.status === "queued" || job.status === "running") {
        await sleep(POLL_MS);
        job = await call(uploadForm.dataset.jobs + encodeURIComponent(job.id));
        showJob(job);
      }
      if (job.status === "failed") {
        uploadStatus.textContent = "Không nạp được: xem lỗi ở trên.";
      } else if (job.version_id === null || (await waitUntilServed(job.version_id))) {
        jobTitle.textContent = "Đã nạp xong";
        uploadStatus.textContent = "Chỉ mục mới đang được dùng để trả lời.";
      } else {
        uploadStatus.textContent = "Đã nạp xong; bot sẽ dùng chỉ mục mới trong giây lát.";
      }
      jobBox.dataset.finished = job.status;
      await refreshLists();
    }

    async function run(title, start) {
      if (busy) return;
      busy = true;
      jobTitle.textContent = title;
      jobBox.removeAttribute("data-finished");
      uploadStatus.textContent = "";
      try {
        const job = await start();
        await follow(job);
      } catch (error) {
        uploadStatus.textContent = `Lỗi: ${error.message}`;
      } finally {
        busy = false;
      }
    }

    uploadForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!fileInput.files.length) return;
      const form = (replace) => {
        const data = new FormData();
        for (const file of fileInput.files) data.append("files", file);
        if (replace) data.append("replace", "true");
        return data;
      };
      run(`Đang nạp ${fileInput.files.length} tệp`, async () => {
        let body;
        try {
          body = await call(uploadForm.dataset.api, { method: "POST", body: form(false) });
        } catch (error) {
          // A file named like an indexed document replaces it only when the person says so.
          if (error.status !== 409 || !confirm(`${error.message}\n\nThay tài liệu cũ?`)) throw error;
          body = await call(uploadForm.dataset.api, { method: "POST", body: form(true) });
        }
        fileInput.value = "";
        return body.job;
      });
    });

    // Delegated: the lists are replaced after every job.
    document.addEventListener("click", (event) => {
      const button = event.target.closest("[data-delete]");
      if (!button) return;
      const docId = button.dataset.delete;
      if (!confirm(`Xoá “${button.dataset.label || docId}” khỏi chỉ mục? Các đoạn của tài liệu sẽ bị gỡ.`)) {
        return;
      }
      const url = `${uploadForm.dataset.api}/${encodeURIComponent(docId)}`;
      run(`Đang xoá ${docId}`, async () => (await call(url, { method: "DELETE" })).job);
    });
  }

  // --- curated answers: save (create / from a question / new version), retire -------------

  const curateForm = document.getElementById("curate-form");
  if (curateForm) {
    const sourceRows = document.getElementById("source-rows");
    const noSources = document.getElementById("no-sources");
    const status = document.getElementById("curate-status");
    const docSelect = document.getElementById("s-doc");
    const template = document.getElementById("source-template");

    document.getElementById("add-source").addEventListener("click", () => {
      const option = docSelect.selectedOptions[0];
      if (!option || !option.value) {
        status.textContent = "Hãy chọn một tài liệu.";
        return;
      }
      const section = document.getElementById("s-section").value.trim();
      const quote = document.getElementById("s-quote").value.trim();
      const source = {
        doc_id: option.value,
        title: option.dataset.title || option.value,
        so_hieu: option.dataset.soHieu || null,
        section: section || null,
        quote,
      };
      const item = template.content.firstElementChild.cloneNode(true);
      item.querySelector("input").dataset.source = JSON.stringify(source);
      item.querySelector("span").textContent = source.title + (section ? `, mục ${section}` : "");
      sourceRows.appendChild(item);
      noSources.hidden = true;
      docSelect.value = "";
      status.textContent = "";
    });

    function sources() {
      return [...sourceRows.querySelectorAll("input[data-source]:checked")].map((box) =>
        JSON.parse(box.dataset.source),
      );
    }

    curateForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const { mode, target, api, pages } = curateForm.dataset;
      const body = {
        question: curateForm.elements.question.value,
        answer: curateForm.elements.answer.value,
        sources: sources(),
      };
      const where = {
        create: [api, "POST"],
        "from-question": [`${api}/from-question/${encodeURIComponent(target)}`, "POST"],
        revise: [`${api}/${encodeURIComponent(target)}`, "PUT"],
      }[mode];
      status.textContent = "Đang lưu…";
      try {
        const saved = await call(where[0], {
          method: where[1],
          headers: JSON_HEADERS,
          body: JSON.stringify(body),
        });
        location.assign(`${pages}/${encodeURIComponent(saved.group_id)}?saved=${saved.version}`);
      } catch (error) {
        status.textContent = `Không lưu được: ${error.message}`;
      }
    });
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-retire]");
    if (!button) return;
    if (!confirm("Ngừng dùng câu trả lời chuẩn này? Bot sẽ trả lời như bình thường.")) return;
    button.disabled = true;
    try {
      await call(`/v1/admin/curated/${encodeURIComponent(button.dataset.retire)}/retire`, {
        method: "POST",
      });
      location.reload();
    } catch (error) {
      button.disabled = false;
      alert(`Không ngừng dùng được: ${error.message}`);
    }
  });
})();
