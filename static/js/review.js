// Review desk enhancements. Every page works without this file; it only adds comfort:
// evidence previews loaded when opened, decision fields shown for the chosen decision,
// decisions saved in place (no reload, so ticks and reasons typed elsewhere stay), a warning
// before leaving with unsaved input, indicator filters, a count of indicators ticked for
// revision, "tick all" in the queue.

function loadPreview(details) {
  const frame = details.querySelector(".preview-frame");
  if (!frame || frame.dataset.loaded) return;
  frame.dataset.loaded = "1";
  const src = details.dataset.src;
  const title = details.dataset.title || "";
  let element;
  if (details.dataset.kind === "image") {
    element = document.createElement("img");
    element.alt = title;
  } else {
    element = document.createElement("iframe");
    element.title = title;
    element.loading = "lazy";
  }
  element.src = src;
  frame.replaceChildren(element);
}

function setUpPreviews() {
  setUpPreviewsIn(document);
}

function setUpPreviewsIn(root) {
  for (const details of root.querySelectorAll("details.evidence-preview")) {
    details.addEventListener("toggle", () => {
      if (details.open) loadPreview(details);
    });
  }
}

function setUpDecisionForms(root = document) {
  for (const form of root.querySelectorAll("form.decision-form")) {
    const reason = form.querySelector(".decision-reason");
    const corrected = form.querySelector(".decision-corrected");
    const update = () => {
      const chosen = form.querySelector("input[name=decision]:checked");
      const value = chosen ? chosen.value : "";
      if (corrected) corrected.hidden = value !== "corrected";
      if (reason) {
        const hasText = reason.querySelector("textarea")?.value.trim() !== "";
        reason.hidden = value === "" && !hasText;
        reason.classList.toggle("emphasis", value === "rejected");
      }
    };
    form.addEventListener("change", update);
    update();
  }
}

function setUpIndicatorFilter() {
  const toolbar = document.querySelector(".review-toolbar");
  if (!toolbar) return;
  toolbar.hidden = false;
  const buttons = toolbar.querySelectorAll("button[data-show]");
  for (const button of buttons) {
    button.addEventListener("click", () => {
      const show = button.dataset.show;
      for (const other of buttons) other.setAttribute("aria-pressed", String(other === button));
      for (const article of document.querySelectorAll("article.indicator")) {
        const required = article.classList.contains("is-required");
        const decided = article.classList.contains("is-decided");
        article.hidden =
          (show === "required" && !required) || (show === "open" && (!required || decided));
      }
      for (const section of document.querySelectorAll("section.dimension")) {
        section.hidden = ![...section.querySelectorAll("article.indicator")].some((a) => !a.hidden);
      }
    });
  }
}

function setUpRevisionCount() {
  const counter = document.querySelector("[data-revision-count]");
  if (!counter) return;
  const boxes = document.querySelectorAll("input[form=revision-form][name=question_codes]");
  const update = () => {
    counter.textContent = String([...boxes].filter((box) => box.checked).length);
  };
  for (const box of boxes) box.addEventListener("change", update);
  counter.closest(".revision-count").hidden = false;
  update();
}

function setUpSelectAll() {
  const all = document.querySelector("input.select-all");
  if (!all) return;
  all.hidden = false;
  all.addEventListener("change", () => {
    for (const box of document.querySelectorAll("input[form=assign-form][name=submission]")) {
      box.checked = all.checked;
    }
  });
}

// --- Unsaved input and decisions saved in place ---------------------------------------------

const dirty = new Set(); // forms (or form ids) with input not yet saved
let leaving = false; // a normal form submission is under way: no warning

function formKey(element) {
  if (element.form) return element.form.id || element.form.action;
  const form = element.closest("form");
  return form ? form.id || form.action : "";
}

function setUpUnsavedWarning() {
  const main = document.querySelector(".review-main, main") || document.body;
  if (!document.querySelector("form.decision-form, #revision-form")) return;
  const note = (event) => {
    const target = event.target;
    if (!target.matches("input, textarea, select")) return;
    const key = formKey(target);
    if (key) dirty.add(key);
  };
  main.addEventListener("input", note);
  main.addEventListener("change", note);
  document.addEventListener("submit", (event) => {
    if (!event.target.matches("form.decision-form")) leaving = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (leaving || dirty.size === 0) return;
    event.preventDefault();
    event.returnValue = "";
  });
}

function keepTicks(oldArticle, newArticle) {
  // What was ticked or typed in the old article outside its decision form stays.
  const oldBox = oldArticle.querySelector("input[form=revision-form]");
  const newBox = newArticle.querySelector("input[form=revision-form]");
  if (oldBox && newBox) newBox.checked = oldBox.checked || newBox.checked;
}

function swapPanels(doc) {
  for (const selector of [".score-card", ".checks-card", ".cert-card"]) {
    const current = document.querySelector(selector);
    const fresh = doc.querySelector(selector);
    if (!current || !fresh) continue;
    const typed = [...current.querySelectorAll("textarea")].some((box) => box.value.trim());
    if (!typed) current.replaceWith(fresh);
  }
}

async function saveInPlace(form, event) {
  event.preventDefault();
  const article = form.closest("article.indicator");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  let response;
  try {
    response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
  } catch {
    button.disabled = false;
    showState(article, form.dataset.errorText, true);
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  if (!type.includes("text/html") || (response.status !== 200 && response.status !== 400)) {
    // Signed out, gone, or another surprise: let the browser post the form the plain way.
    leaving = true;
    form.submit();
    return;
  }
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = doc.getElementById(article.id);
  if (!fresh) {
    leaving = true;
    form.submit();
    return;
  }
  keepTicks(article, fresh);
  article.replaceWith(fresh);
  setUpDecisionForms(fresh);
  setUpPreviewsIn(fresh);
  const freshForm = fresh.querySelector("form.decision-form");
  freshForm?.addEventListener("submit", (e) => saveInPlace(freshForm, e));
  if (response.status === 200) {
    dirty.delete(formKey(button));
    swapPanels(doc);
    showState(fresh, form.dataset.savedText, false);
  } else {
    const invalid = fresh.querySelector("[aria-invalid=true], .error");
    const focusable = invalid?.matches("input, textarea, select") ? invalid : null;
    (focusable || fresh.querySelector("input[name=decision]"))?.focus();
    const live = document.getElementById("review-live");
    const message = fresh.querySelector(".error");
    if (live && message) live.textContent = message.textContent;
  }
}

function showState(article, text, isError) {
  const state = article.querySelector("[data-decision-state]");
  if (state) {
    state.textContent = text;
    state.hidden = false;
    state.classList.toggle("bad", isError);
    state.classList.toggle("ok", !isError);
  }
  const live = document.getElementById("review-live");
  if (live) live.textContent = text;
}

function setUpInPlaceDecisions() {
  if (!window.fetch || !window.DOMParser) return;
  for (const form of document.querySelectorAll("form.decision-form")) {
    form.addEventListener("submit", (event) => saveInPlace(form, event));
  }
}

setUpPreviews();
setUpDecisionForms();
setUpInPlaceDecisions();
setUpUnsavedWarning();
setUpIndicatorFilter();
setUpRevisionCount();
setUpSelectAll();
