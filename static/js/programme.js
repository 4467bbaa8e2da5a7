// The call's countdown on the operator's application page: days, hours and minutes left,
// updated each minute; the server-rendered sentence stays for readers without scripts.
for (const element of document.querySelectorAll(".countdown[data-closes-at]")) {
  const closesAt = new Date(element.dataset.closesAt);
  const update = () => {
    const left = closesAt - new Date();
    if (left <= 0) {
      element.textContent = element.dataset.labelClosed;
      return;
    }
    const minutes = Math.floor(left / 60000);
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    element.textContent = `${element.dataset.labelPrefix} ${days} ${element.dataset.labelDays} ${hours} ${element.dataset.labelHours} ${minutes % 60} ${element.dataset.labelMinutes}`;
    element.setAttribute("aria-label", element.textContent);
  };
  update();
  setInterval(update, 60000);
}
