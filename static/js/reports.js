// Report batches: follow the progress of queued and running batches without reloading.
// Progressive enhancement: without this script the page shows the state at load time.
const table = document.querySelector("table.report-batches[data-poll='yes']");

function update(row, batch) {
  const progress = row.querySelector("progress");
  if (progress) {
    progress.value = batch.percent;
    progress.textContent = `${batch.percent} %`;
  }
  const count = row.querySelector(".batch-count");
  if (count) count.textContent = `${batch.done} / ${batch.total}`;
  const status = row.querySelector(".batch-status");
  if (status) status.textContent = batch.status_label;
  if (batch.download) {
    const cell = row.querySelector(".batch-download");
    if (cell && !cell.querySelector("a")) {
      const link = document.createElement("a");
      link.href = batch.download;
      link.textContent = "ZIP";
      cell.replaceChildren(link);
    }
  }
}

async function poll() {
  const rows = [...table.querySelectorAll("tr[data-status-url]")];
  let pending = false;
  for (const row of rows) {
    if (row.dataset.finished) continue;
    try {
      const response = await fetch(row.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) continue;
      const batch = await response.json();
      update(row, batch);
      if (batch.status === "queued" || batch.status === "running") pending = true;
      else row.dataset.finished = "yes";
    } catch {
      pending = true;
    }
  }
  if (pending) window.setTimeout(poll, 2000);
}

if (table) window.setTimeout(poll, 1500);
