// The copy button beside a shareable link (templates/partials/share.html).
// Without this file the button stays hidden and the link is selectable text.
"use strict";
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.hidden = false;
}

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  const input = button && document.getElementById(button.dataset.copy);
  if (!input) return;
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch (_) {
    // No clipboard API outside HTTPS: copy the selection the older way.
    document.execCommand("copy");
  }
  button.textContent = button.dataset.copied;
});

document.addEventListener("focusin", (event) => {
  // One click selects the whole link, ready to copy by hand.
  if (event.target.matches("input[data-share]")) event.target.select();
});
