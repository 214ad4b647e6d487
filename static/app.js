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

document.addEventListener("focusin", async (event) => {
  // HS code suggestions for the description typed in the same item row.
  const input = event.target.closest("input[data-hs-from]");
  if (!input) return;
  const description = document.getElementById(input.dataset.hsFrom);
  const list = document.getElementById("hs-suggestions");
  if (!description || !list || description.value.trim().length < 2) return;
  try {
    const response = await fetch("/app/hs-codes?q=" + encodeURIComponent(description.value.trim()));
    if (!response.ok) return;
    const suggestions = await response.json();
    list.replaceChildren(...suggestions.map((s) => {
      const option = document.createElement("option");
      option.value = s.hs6;
      option.label = s.hs6 + " " + (s.description_zh || "") + " " + (s.description_en || "");
      return option;
    }));
  } catch (_) {
    // Suggestions are a convenience; typing the code still works.
  }
});
