// What a person types in the portal's forms is kept in this browser until the server
// confirms it was saved: a session that expired, a sign-in in another tab or a crash
// loses nothing. Forms opt in with data-draft-key; a page that confirms a send names the
// draft to forget with data-draft-clear. Also: Enter in a one-line field moves on instead
// of sending a half-filled form, the first field in error gets the focus, and a form is
// sent once per click. Without this script every form still posts.
(function () {
  "use strict";
  var SKIP = { file: 1, hidden: 1, submit: 1, button: 1, password: 1 };

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }
  function write(key, values) {
    try {
      if (Object.keys(values).length) window.localStorage.setItem(key, JSON.stringify(values));
      else window.localStorage.removeItem(key);
    } catch (e) { /* storage full or disabled: a draft is a convenience */ }
  }
  function kept(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !SKIP[field.type] && field.name !== "csrfmiddlewaretoken";
    });
  }
  function snapshot(form) {
    var values = {};
    kept(form).forEach(function (field) {
      if ((field.type === "checkbox" || field.type === "radio")) {
        if (field.checked) values[field.name] = field.value;
      } else if (field.value) {
        values[field.name] = field.value;
      }
    });
    return values;
  }
  function hasText(values) {
    return Object.keys(values).some(function (name) {
      var field = document.getElementsByName(name)[0];
      return field && (field.tagName === "TEXTAREA" || field.type === "text");
    });
  }
  function restore(form, values) {
    kept(form).forEach(function (field) {
      if (!(field.name in values)) return;
      if (field.type === "checkbox" || field.type === "radio") field.checked = field.value === values[field.name];
      else field.value = values[field.name];
    });
  }

  function reuseSentToken(form, key) {
    var sent = read(key + ":sent");
    var token = form.querySelector("input[name=form_token]");
    if (!sent.token || !token) return;
    if (Date.now() - sent.at > SENT_FOR_MS) write(key + ":sent", {});
    else if (hasText(snapshot(form))) token.value = sent.token;
  }

  function setUp(form) {
    var key = form.dataset.draftKey;
    var notice = form.querySelector("[data-draft-restored]");
    // The browser fills a page it brings back only after this script has run.
    if (!form.dataset.bound && !hasText(read(key))) {
      window.addEventListener("pageshow", function () { reuseSentToken(form, key); });
    }
    // A page that came back from the server with errors already holds what was typed.
    if (!form.dataset.bound) {
      var saved = read(key);
      if (hasText(saved)) {
        restore(form, saved);
        if (notice) notice.hidden = false;
      }
    }
    var keep = function () {
      var values = snapshot(form);
      write(key, hasText(values) ? values : {});
    };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    if (notice) {
      var discard = notice.querySelector("button");
      if (discard) discard.addEventListener("click", function () {
        write(key, {});
        form.reset();
        notice.hidden = true;
      });
    }
  }

  // The token of the last send that the server confirmed, per form: a page the browser
  // brings back filled in (the back button) sends it again, and the server answers with
  // what the first send produced instead of opening a second ticket.
  var SENT_FOR_MS = 60 * 60 * 1000;
  function forgetSent() {
    document.querySelectorAll("[data-draft-clear]").forEach(function (node) {
      var key = node.dataset.draftClear;
      var sending = read(key + ":sending");
      write(key, {});
      write(key + ":sending", {});
      if (sending.token) write(key + ":sent", { token: sending.token, at: Date.now() });
    });
    var url = new URL(window.location.href);
    if (url.searchParams.has("sent")) {
      url.searchParams.delete("sent");
      window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
    }
  }

  // Enter in a one-line field goes to the next field: the form is sent with its button.
  function enterMovesOn(form) {
    form.addEventListener("keydown", function (event) {
      var field = event.target;
      if (event.key !== "Enter" || field.tagName !== "INPUT" || SKIP[field.type]) return;
      if (field.type === "checkbox" || field.type === "radio") return;
      event.preventDefault();
      var fields = Array.prototype.filter.call(form.elements, function (item) {
        return !item.disabled && item.type !== "hidden" && item.tabIndex >= 0;
      });
      var next = fields[fields.indexOf(field) + 1];
      if (next) next.focus();
    });
  }

  function sendOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "1";
      var token = form.querySelector("input[name=form_token]");
      if (token && form.dataset.draftKey) write(form.dataset.draftKey + ":sending", { token: token.value });
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    });
    // Back from the next page (the browser's page cache) the form can be sent again;
    // the server then shows what the first send produced.
    window.addEventListener("pageshow", function () {
      delete form.dataset.sending;
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.removeAttribute("aria-disabled");
      });
    });
  }

  function focusFirstError() {
    var field = document.querySelector("form [aria-invalid=true]");
    if (field) { field.focus(); return; }
    var summary = document.querySelector(".form-error");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  }

  forgetSent();
  document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
    setUp(form);
    enterMovesOn(form);
    sendOnce(form);
  });
  focusFirstError();
})();
