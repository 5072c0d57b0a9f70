/* Shared helpers of the demo pages: one client instance, form errors, nav state. */
(function () {
  "use strict";
  const base = document.currentScript.dataset.authBase.replace(/login\/$/, "");
  const auth = JWTAuth.create({ base: base });
  window.auth = auth;

  /* Why this tab was signed out; a replayed (stolen) token is a warning to act on. */
  const SIGNED_OUT = {
    elsewhere: "You were signed out: this session was logged out in another tab or on another device.",
    revoked: "Your session was revoked (by an administrator, a password change, or from another device). Log in again.",
    expired: "Your session expired. Log in again.",
    stolen: "Warning: an old copy of this session's token was used, so it may have been stolen. "
      + "The session was ended everywhere. Log in again and change your password.",
  };

  function notify(reason) {
    const notice = document.getElementById("signout-notice");
    if (!notice) return;
    const text = SIGNED_OUT[reason];
    notice.hidden = !text;
    notice.textContent = text || "";
    notice.dataset.reason = reason || "";
    notice.classList.toggle("warning", reason === "stolen");
    notice.setAttribute("role", reason === "stolen" ? "alert" : "status");
  }

  /* Links meant for signed-out visitors hide once the client holds a session. */
  auth.onChange((event, detail) => {
    document.querySelectorAll("[data-when=signed-out]").forEach((el) => { el.hidden = event === "signed-in"; });
    if (event === "signed-out") notify(detail.reason);
    else notify(null);
  });

  /* Show an API error on a form: field errors next to their inputs, the rest in the form's alert. */
  window.showErrors = function (form, error) {
    form.querySelectorAll(".field-error").forEach((el) => el.remove());
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    const alertBox = form.querySelector("[role=alert]");
    const body = (error && error.body) || {};
    const general = [];
    if (error.status === 429) {
      const wait = error.retryAfter ? " (try again in " + error.retryAfter + " s)" : "";
      general.push((body.detail || "Too many attempts.") + wait);
    } else if (body.detail) {
      general.push(body.detail);
    }
    Object.entries(body).forEach(([field, messages]) => {
      if (field === "detail" || field === "code") return;
      const input = form.elements[field];
      const text = [].concat(messages).join(" ");
      if (input && input.insertAdjacentElement) {
        const note = document.createElement("p");
        note.className = "field-error";
        note.id = field + "-error";
        note.textContent = text;
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", note.id);
        input.insertAdjacentElement("afterend", note);
      } else {
        general.push(text);
      }
    });
    if (!general.length && !Object.keys(body).length) general.push(error.message || "Something went wrong.");
    alertBox.textContent = general.join("\n");
  };

  window.clearErrors = function (form) {
    form.querySelectorAll(".field-error").forEach((el) => el.remove());
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    const alertBox = form.querySelector("[role=alert]");
    if (alertBox) alertBox.textContent = "";
  };

  /* Submit a form through fn(values); disables the button while busy. */
  window.handleForm = function (form, fn) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        await fn(Object.fromEntries(new FormData(form)));
      } catch (error) {
        showErrors(form, error);
      } finally {
        button.disabled = false;
      }
    });
  };
})();
