/* The header on a narrow screen: the menu folds behind one button (without JavaScript it stays
   open, as on a wide screen). */
"use strict";

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
