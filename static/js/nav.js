/* The header: the count of unread notifications beside their link; on a narrow screen the menu
   folds behind one button (without JavaScript it stays open, as on a wide screen). */
"use strict";

(function () {
  const notices = document.querySelector("a[data-unread-url]");
  if (notices && window.fetch) {
    fetch(notices.dataset.unreadUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || !body.unread) return;
        const badge = document.createElement("span");
        badge.className = "nav-count";
        badge.dataset.unread = String(body.unread);
        badge.textContent = String(body.unread);
        const spoken = document.createElement("span");
        spoken.className = "sr-only";
        spoken.textContent = " (" + body.label + ")";
        badge.setAttribute("aria-hidden", "true");
        notices.append(" ", badge, spoken);
      })
      .catch(function () {});
  }
})();

(function () {
  const bar = document.querySelector(".topbar");
  const button = bar && bar.querySelector(".nav-toggle");
  if (!button) return;
  button.hidden = false;
  bar.classList.add("nav-collapsible");
  button.addEventListener("click", function () {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    bar.classList.toggle("nav-open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && bar.classList.contains("nav-open")) {
      button.setAttribute("aria-expanded", "false");
      bar.classList.remove("nav-open");
      button.focus();
    }
  });
})();
