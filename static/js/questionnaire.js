// Autosave for the questionnaire (progressive enhancement: the form works without this).
//
// Each question saves on its own, debounced, with the answer's version; the server answers with
// the new version and the re-rendered score panel, or 400 (invalid), or 409 (someone saved a
// newer answer: the user chooses). A lost connection keeps the typed answers in the page and
// retries; leaving the page with unsaved answers asks first. All texts come from data-msg-*
// attributes rendered (translated) by the server.

const TEXT_DELAY_MS = 800;
const CHOICE_DELAY_MS = 250;
const MAX_RETRY_MS = 30000;

const form = document.querySelector("form[data-autosave-url]");

if (form) {
  const url = form.dataset.autosaveUrl;
  const status = form.querySelector("[data-save-state]");
  const msg = (name) => form.dataset[`msg${name}`] || "";
  // code → {timer, generation, savedGeneration, inflight, state, retryMs}
  const questions = new Map();

  const csrfToken = () => form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const section = (code) => form.querySelector(`section[data-question="${CSS.escape(code)}"]`);
  const fieldState = (code) => section(code)?.querySelector("[data-field-state]");
  const info = (code) => {
    if (!questions.has(code)) {
      questions.set(code, {
        timer: null, generation: 0, savedGeneration: 0, inflight: false, state: "saved", retryMs: 2000,
      });
    }
    return questions.get(code);
  };

  const overall = () => {
    const states = [...questions.values()].map((q) => q.state);
    for (const state of ["conflict", "offline", "error", "saving", "unsaved"]) {
      if (states.includes(state)) return state;
    }
    return "saved";
  };

  const showOverall = () => {
    const state = overall();
    status.dataset.saveState = state;
    status.textContent = {
      saved: msg("Saved"), saving: msg("Saving"), unsaved: msg("Unsaved"), offline: msg("Offline"),
      error: msg("Error"), conflict: msg("Conflict"),
    }[state];
    status.classList.toggle("warning", state !== "saved" && state !== "saving");
  };

  const setState = (code, state, text = "") => {
    info(code).state = state;
    const element = fieldState(code);
    if (element) {
      element.textContent = text;
      element.dataset.state = state;
    }
    section(code)?.classList.toggle("unsaved", state !== "saved");
    showOverall();
  };

  const fieldsOf = (code) => [...form.querySelectorAll(`[name="q-${CSS.escape(code)}"]`)];
  const versionInput = (code) => form.querySelector(`[name="v-${CSS.escape(code)}"]`);

  const payload = (code) => {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken());
    data.append("question", code);
    data.append(`v-${code}`, versionInput(code).value);
    for (const field of fieldsOf(code)) {
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue;
      data.append(field.name, field.value);
    }
    return data;
  };

  const setValue = (code, value) => {
    const values = Array.isArray(value) ? value.map(String) : [String(value ?? "")];
    for (const field of fieldsOf(code)) {
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = values.includes(field.value);
      } else {
        field.value = values[0];
      }
    }
  };

  const clearConflict = (code) => section(code)?.querySelector(".conflict[data-js]")?.remove();

  const showConflict = (code, body) => {
    clearConflict(code);
    const box = document.createElement("div");
    box.className = "conflict";
    box.dataset.js = "1";
    box.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent = `${body.message} ${msg("Theirs")} “${body.theirs.text}” (${body.theirs.updated_by})`;
    const keep = document.createElement("button");
    keep.type = "button";
    keep.className = "button small";
    keep.textContent = msg("KeepMine");
    keep.addEventListener("click", () => {
      versionInput(code).value = body.theirs.version;
      clearConflict(code);
      schedule(code, 0);
    });
    const take = document.createElement("button");
    take.type = "button";
    take.className = "button small";
    take.textContent = msg("TakeTheirs");
    take.addEventListener("click", () => {
      setValue(code, body.theirs.value);
      versionInput(code).value = body.theirs.version;
      const q = info(code);
      q.savedGeneration = q.generation;
      clearConflict(code);
      setState(code, "saved");
    });
    box.append(text, keep, take);
    fieldState(code).after(box);
  };

  const updatePanels = (body) => {
    const panel = document.querySelector("[data-score-panel]");
    if (panel && body.score_html) panel.innerHTML = body.score_html;
    for (const link of body.sections || []) {
      const item = document.querySelector(`.section-index li[data-section="${CSS.escape(link.code)}"]`);
      if (!item) continue;
      item.classList.toggle("complete", link.complete);
      const progress = item.querySelector("[data-progress]");
      if (progress) progress.lastChild.textContent = ` ${link.answered}/${link.total}${link.complete ? " ✓" : ""}`;
    }
  };

  // One save at a time: answers reach the server in the order they were made.
  let busy = false;

  async function save(code) {
    const q = info(code);
    if (busy) {
      schedule(code, 150);
      return;
    }
    const generation = q.generation;
    busy = true;
    q.inflight = true;
    setState(code, "saving");
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body: payload(code),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      });
    } catch {
      response = null;
    }
    q.inflight = false;
    busy = false;
    if (response === null || response.status >= 500 || response.status === 0) {
      setState(code, "offline", msg("Offline"));
      schedule(code, q.retryMs);
      q.retryMs = Math.min(q.retryMs * 2, MAX_RETRY_MS);
      return;
    }
    q.retryMs = 2000;
    let body = {};
    try {
      body = await response.json();
    } catch {
      body = {};
    }
    if (response.ok) {
      if (body.version !== undefined) versionInput(code).value = body.version;
      clearConflict(code);
      if (body.score_html) updatePanels(body);
      if (q.generation === generation) {
        q.savedGeneration = generation;
        setState(code, "saved", body.saved_at ? `✓ ${body.saved_at}` : "");
        section(code)?.querySelector("[data-reconfirm]")?.remove();
      } else {
        schedule(code, TEXT_DELAY_MS); // typed on while saving
      }
    } else if (response.status === 409 && body.theirs) {
      setState(code, "conflict", msg("Conflict")); // the box below says what happened
      showConflict(code, body);
    } else if (response.status === 403 && !body.message) {
      // The session expired: keep the answers in the page; a full "Save" signs in again.
      setState(code, "error", msg("Error"));
    } else {
      setState(code, "error", body.message || msg("Error"));
    }
  }

  function schedule(code, delay) {
    const q = info(code);
    clearTimeout(q.timer);
    q.timer = setTimeout(() => save(code), delay);
  }

  const onEdit = (event) => {
    const name = event.target.name || "";
    if (!name.startsWith("q-")) return;
    const code = name.slice(2);
    const q = info(code);
    q.generation += 1;
    setState(code, "unsaved");
    const textual = event.target.type === "text";
    if (event.type === "input" && !textual) return; // radios and boxes save on "change"
    schedule(code, textual ? TEXT_DELAY_MS : CHOICE_DELAY_MS);
  };

  form.addEventListener("input", onEdit);
  form.addEventListener("change", (event) => {
    if (event.target.type !== "text") onEdit(event);
  });
  // Leaving a text field saves at once.
  form.addEventListener("focusout", (event) => {
    const name = event.target.name || "";
    if (event.target.type === "text" && name.startsWith("q-")) {
      const q = info(name.slice(2));
      if (q.generation !== q.savedGeneration && !q.inflight) schedule(name.slice(2), 0);
    }
  });

  window.addEventListener("online", () => {
    for (const [code, q] of questions) {
      if (q.state === "offline") schedule(code, 0);
    }
  });

  let submitting = false;
  form.addEventListener("submit", () => {
    submitting = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (submitting) return;
    const pending = [...questions.values()].some(
      (q) => q.inflight || q.generation !== q.savedGeneration,
    );
    if (pending) {
      event.preventDefault();
      event.returnValue = msg("Leave");
    }
  });

  status.dataset.saveState = "saved";
  status.textContent = msg("Saved");
}
