// The ticket workspace: composer modes and drafts, canned replies, who else is here,
// and the keyboard. Without this script every form still posts and the page still works.
(function () {
  "use strict";
  var root = document.getElementById("workspace");
  if (!root) return;
  var csrf = root.dataset.csrf || "";
  var TYPING_MS = 5000;
  var PING_MS = 10000;
  var typingUntil = 0;

  // --- drafts (localStorage may be full or disabled: a draft is a convenience) -------------
  function read(key) {
    try { return window.localStorage.getItem(key) || ""; } catch (e) { return ""; }
  }
  function save(key, value) {
    try {
      if (value) window.localStorage.setItem(key, value);
      else window.localStorage.removeItem(key);
    } catch (e) { /* nothing to do */ }
  }

  function modeOf(form) {
    var checked = form.querySelector("input[name=kind]:checked");
    return checked ? checked.value : "public";
  }
  function draftKey(form, mode) { return form.dataset.draftKey + ":" + mode; }
  function chooseMode(form, mode) {
    var radio = form.querySelector("input[name=kind][value=" + mode + "]");
    if (radio && !radio.checked) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function insertAtCursor(area, text) {
    var start = area.selectionStart || 0;
    var end = area.selectionEnd || 0;
    var before = area.value.slice(0, start);
    var glue = before && !/\n$/.test(before) ? "\n" : "";
    area.value = before + glue + text + area.value.slice(end);
    var caret = (before + glue + text).length;
    area.focus();
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function forgetSentParameter() {
    var url = new URL(window.location.href);
    if (!url.searchParams.has("sent")) return;
    url.searchParams.delete("sent");
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  }

  function setupComposer(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var area = form.querySelector("textarea");
    if (!area) return;
    var modeKey = form.dataset.draftKey + ":mode";
    if (form.dataset.sent) {
      save(draftKey(form, form.dataset.sent), "");
      forgetSentParameter();
    }
    // A page that came back with errors already holds what was typed; otherwise the draft.
    if (!area.value) {
      var lastMode = read(modeKey);
      if (lastMode === "note" || lastMode === "public") chooseMode(form, lastMode);
      area.value = read(draftKey(form, modeOf(form)));
    }

    area.addEventListener("input", function () {
      save(draftKey(form, modeOf(form)), area.value);
      var wasTyping = Date.now() < typingUntil;
      typingUntil = Date.now() + TYPING_MS;
      if (!wasTyping) ping();
    });
    form.addEventListener("change", function (event) {
      if (event.target.name !== "kind") return;
      var mode = event.target.value;
      // The text follows the engineer's change of mind; an empty box gets that mode's draft.
      if (area.value) {
        save(draftKey(form, mode), area.value);
        save(draftKey(form, mode === "note" ? "public" : "note"), "");
      } else {
        area.value = read(draftKey(form, mode));
      }
      save(modeKey, mode);
    });
    // The server says so only when the message was saved; a refusal keeps everything.
    form.addEventListener("composer-sent", function () {
      save(draftKey(form, modeOf(form)), "");
      area.value = "";
      typingUntil = 0;
      var files = form.querySelector("input[type=file]");
      if (files) files.value = "";
      var chosen = form.querySelector(".dropzone .chosen");
      if (chosen) chosen.textContent = "";
    });

    var canned = form.querySelector(".canned");
    var picker = form.querySelector("select[data-canned]");
    if (canned && picker) {
      canned.hidden = false;
      picker.addEventListener("change", function () {
        var url = picker.value;
        if (!url) return;
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) { if (data) insertAtCursor(area, data.text); })
          .catch(function () { /* the picker simply does nothing offline */ })
          .then(function () { picker.value = ""; });
      });
    }
  }

  function setup() {
    var form = document.getElementById("composer");
    if (form) setupComposer(form);
  }
  setup();
  document.addEventListener("htmx:load", setup);

  // --- presence --------------------------------------------------------------------------
  var presenceBox = document.getElementById("presence");
  var presenceUrl = root.dataset.presenceUrl;
  function ping() {
    if (!presenceBox || !presenceUrl || document.visibilityState !== "visible") return;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("typing", Date.now() < typingUntil ? "1" : "0");
    fetch(presenceUrl, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) presenceBox.innerHTML = html.trim(); })
      .catch(function () { /* the next ping tries again */ });
  }
  ping();
  window.setInterval(ping, PING_MS);
  document.addEventListener("visibilitychange", ping);
  window.addEventListener("pagehide", function () {
    if (!presenceUrl || !navigator.sendBeacon) return;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("leave", "1");
    navigator.sendBeacon(presenceUrl, body);
  });

  // --- keyboard --------------------------------------------------------------------------
  var help = document.getElementById("shortcuts");
  function showHelp() { if (help && !help.open && help.showModal) help.showModal(); }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-shortcuts]")) showHelp();
  });

  function isTypingTarget(element) {
    if (!element || !element.closest) return false;
    return element.isContentEditable || !!element.closest("input, textarea, select, [contenteditable]");
  }
  function focusComposer(mode) {
    var form = document.getElementById("composer");
    if (!form) return false;
    chooseMode(form, mode);
    var area = form.querySelector("textarea");
    area.scrollIntoView({ block: "center" });
    area.focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTypingTarget(event.target) || (help && help.open)) return;
    var handled = false;
    if (event.key === "r") handled = focusComposer("public");
    else if (event.key === "n") handled = focusComposer("note");
    else if (event.key === "a") {
      var take = document.getElementById("take-button");
      if (take) { take.click(); handled = true; }
    } else if (event.key === "?") { showHelp(); handled = true; }
    if (handled) event.preventDefault();
  });
})();
