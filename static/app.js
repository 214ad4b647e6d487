// Small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("submit", (event) => {
  // A double-clicked submit button sends the form once.
  const form = event.target;
  if (form.dataset.submitting === "yes") {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "yes";
  setTimeout(() => { delete form.dataset.submitting; }, 4000);
});

document.addEventListener("click", (event) => {
  // The proforma invoice's print button.
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
