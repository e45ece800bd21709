// ikmportal: behaviour that needs script, kept out of the templates (CSP: no inline scripts).
document.addEventListener("DOMContentLoaded", () => {
  // A confirm step for buttons that do something that cannot be undone.
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
});
