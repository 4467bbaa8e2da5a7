// Review desk enhancements. Every page works without this file; it only adds comfort:
// evidence previews loaded when opened, decision fields shown for the chosen decision,
// indicator filters, a count of indicators ticked for revision, "tick all" in the queue.

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
  for (const details of document.querySelectorAll("details.evidence-preview")) {
    details.addEventListener("toggle", () => {
      if (details.open) loadPreview(details);
    });
  }
}

function setUpDecisionForms() {
  for (const form of document.querySelectorAll("form.decision-form")) {
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

setUpPreviews();
setUpDecisionForms();
setUpIndicatorFilter();
setUpRevisionCount();
setUpSelectAll();
