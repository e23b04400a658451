// The ticket's time card: a start/stop timer that survives reloads. Its state lives in
// localStorage under the ticket's number: the instant it started (and, once stopped, the
// instant it stopped). Stopping fills the form's minutes and the hidden start instant, which
// are posted with the entry; recording the entry forgets the timer. Without this script the
// form still records minutes typed by hand.
(function () {
  "use strict";

  function keyFor(card) { return "atiende:timer:" + card.dataset.ticket; }

  function load(card) {
    try {
      var raw = window.localStorage.getItem(keyFor(card));
      var state = raw ? JSON.parse(raw) : null;
      if (state && typeof state.start === "number" && isFinite(state.start)) return state;
    } catch (e) { /* storage disabled or a foreign value: no timer */ }
    return null;
  }
  function store(card, state) {
    try {
      if (state) window.localStorage.setItem(keyFor(card), JSON.stringify(state));
      else window.localStorage.removeItem(keyFor(card));
    } catch (e) { /* nothing to do: the timer is a convenience */ }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(ms) {
    var seconds = Math.max(0, Math.floor(ms / 1000));
    var hours = Math.floor(seconds / 3600);
    var text = pad(Math.floor((seconds % 3600) / 60)) + ":" + pad(seconds % 60);
    return hours ? hours + ":" + text : text;
  }
  function minutesOf(state) {
    return Math.max(1, Math.ceil(((state.stop || Date.now()) - state.start) / 60000));
  }

  function fill(card, state) {
    var minutes = card.querySelector("input[name=minutes]");
    var started = card.querySelector("input[name=started_at]");
    if (minutes) minutes.value = String(Math.min(minutesOf(state), 1440));
    if (started) started.value = new Date(state.start).toISOString();
  }

  function draw(card) {
    var box = card.querySelector("[data-timer]");
    if (!box) return;
    box.hidden = false;
    var state = load(card);
    var running = !!(state && !state.stop);
    box.classList.toggle("running", running);
    box.querySelector("[data-timer-start]").hidden = running;
    box.querySelector("[data-timer-stop]").hidden = !running;
    box.querySelector("[data-timer-note]").hidden = !(state && state.stop);
    box.querySelector("[data-timer-clock]").textContent = state
      ? clock((state.stop || Date.now()) - state.start)
      : "00:00";
    if (state && state.stop) fill(card, state);
  }

  function card() { return document.getElementById("time"); }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var here = card();
    if (!target || !here || !here.contains(target)) return;
    if (target.closest("[data-timer-start]")) {
      store(here, { start: Date.now() });
      draw(here);
    } else if (target.closest("[data-timer-stop]")) {
      var state = load(here);
      if (state) {
        state.stop = Date.now();
        store(here, state);
      }
      draw(here);
      var minutes = here.querySelector("input[name=minutes]");
      if (minutes) minutes.focus();
    }
  });

  // The entry is on its way with the timer's figures: the timer is done. A refusal comes
  // back with the form as typed, so nothing is lost.
  document.addEventListener("submit", function (event) {
    var here = card();
    if (!here || event.target !== here.querySelector("form.time-form")) return;
    var state = load(here);
    var submitter = event.submitter;
    if (state && state.stop && !(submitter && submitter.name === "quick")) store(here, null);
  });

  document.addEventListener("htmx:afterSwap", function () {
    var here = card();
    if (here) draw(here);
  });

  function tick() {
    var here = card();
    if (here) {
      var state = load(here);
      var face = here.querySelector("[data-timer-clock]");
      if (state && !state.stop && face) face.textContent = clock(Date.now() - state.start);
    }
  }

  function start() {
    var here = card();
    if (!here) return;
    draw(here);
    window.setInterval(tick, 1000);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
