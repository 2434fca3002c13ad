// AgentAudit dashboard: the one script, served by the server itself (no CDN, no build).
// It only powers the "Verify the whole chain now" button; every page works without it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("verify-chain");
  if (!button) return;
  const out = document.getElementById("verify-result");
  const token = document.querySelector('meta[name="csrf-token"]');
  button.addEventListener("click", async () => {
    button.disabled = true;
    out.className = "";
    out.textContent = "Verifying…";
    try {
      const response = await fetch(button.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": token ? token.content : "" },
      });
      if (!response.ok) {
        out.className = "bad";
        out.textContent = response.status === 401 ? "Signed out: sign in again." : `Error ${response.status}`;
        return;
      }
      const result = await response.json();
      out.className = result.ok ? "ok" : "bad";
      out.textContent = result.message;
    } catch (err) {
      out.className = "bad";
      out.textContent = "The server could not be reached.";
    } finally {
      button.disabled = false;
    }
  });
});
