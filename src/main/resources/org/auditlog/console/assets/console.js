// The console's only script: served from the jar, so the pages' Content-Security-Policy allows no other.
(function () {
  'use strict';

  // A background export's page follows its status until it is done or failed, then shows the result.
  var exportSection = document.getElementById('export');
  if (exportSection && document.getElementById('export-state')) {
    var state = document.getElementById('export-state').textContent.trim();
    // the API's states: queued, running, then done or failed
    if (state !== 'done' && state !== 'failed') {
      var url = exportSection.getAttribute('data-status-url');
      var poll = function () {
        fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (status) {
            if (!status) { return; }
            document.getElementById('export-state').textContent = status.status;
            if (status.status === 'done' || status.status === 'failed') {
              window.location.reload();
            } else {
              window.setTimeout(poll, 1000);
            }
          })
          .catch(function () { window.setTimeout(poll, 3000); });
      };
      window.setTimeout(poll, 1000);
    }
  }

  // Copy buttons copy the text of the element they name.
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var source = document.getElementById(button.getAttribute('data-copy'));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.textContent = 'Copied';
        });
      }
    });
  });

  // Typing a custom date chooses the custom range.
  document.querySelectorAll('input[type="datetime-local"]').forEach(function (input) {
    input.addEventListener('change', function () {
      var custom = document.querySelector('input[name="range"][value="custom"]');
      if (custom) { custom.checked = true; }
    });
  });

  // Forms that change or remove something ask first.
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) { event.preventDefault(); }
    });
  });
}());
