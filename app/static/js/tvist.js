// Tvist: small progressive enhancements. No inline scripts (CSP-friendly).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Bulk jobs: poll the job's JSON status and update the progress bar until it finishes.
(function () {
  var box = document.getElementById("job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  function text(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } }
  function render(job) {
    var bar = document.getElementById("job-progress");
    bar.value = job.percent; bar.textContent = job.percent + " %";
    text("job-status", job.status_label);
    if (job.nothing_made) { document.getElementById("job-status").className = "error"; }
    text("job-count", (job.done + job.failed) + " av " + job.total);
    text("job-failed", String(job.failed));
    if (job.zip_url) { document.getElementById("job-zip").hidden = false; }
    if (job.finished && job.errors.length) {
      var list = document.createElement("ul");
      job.errors.forEach(function (e) {
        var li = document.createElement("li");
        var strong = document.createElement("strong");
        strong.textContent = e.reference || e.case_id;
        if (e.case_url) {
          var link = document.createElement("a");
          link.href = e.case_url;
          link.appendChild(strong);
          li.appendChild(link);
        } else {
          li.appendChild(strong);
        }
        li.appendChild(document.createTextNode(": " + e.problems.join(" ")));
        list.appendChild(li);
      });
      var holder = document.getElementById("job-errors");
      holder.textContent = "";
      var h = document.createElement("h2"); h.textContent = "Ärenden som inte kunde behandlas";
      holder.appendChild(h); holder.appendChild(list);
    }
    if (job.finished) { box.setAttribute("data-finished", "true"); }
    return job.finished;
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) { if (!render(job)) { setTimeout(poll, 1000); } })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
