// API tokens page: a "copy" button beside the new key (the key is selectable without it).
for (const button of document.querySelectorAll("[data-copy-target]")) {
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(field.value);
    button.textContent = button.dataset.copiedLabel;
  });
}
for (const field of document.querySelectorAll(".token-key")) {
  field.addEventListener("focus", () => field.select());
}
