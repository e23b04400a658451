// @mentions in internal notes: typing @ and part of a name offers the engineers who see
// the ticket (loaded once, when first needed); arrows choose, Enter or Tab inserts the
// handle, Escape closes. Without this script a typed @handle still tells the engineer.
(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form) return;
  var box = form.querySelector(".mention-box");
  var textarea = form.querySelector("textarea[name=text]");
  if (!box || !textarea) return;
  var people = null;
  var loading = null;
  var shown = [];
  var active = 0;
  var MAX = 8;

  box.id = "mention-list";
  textarea.setAttribute("aria-controls", box.id);
  textarea.setAttribute("aria-autocomplete", "list");

  function isNote() {
    var checked = form.querySelector("input[name=kind]:checked");
    return Boolean(checked && checked.value === "note");
  }

  function load() {
    if (people) return Promise.resolve(people);
    if (!loading) {
      loading = fetch(box.dataset.mentions, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { people: [] }; })
        .then(function (data) { people = data.people || []; return people; })
        .catch(function () { loading = null; return []; });
    }
    return loading;
  }

  // The word being typed after an @ that starts a word, or null.
  function typed() {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var found = /(^|[\s(,;:])@([\w.+-]*)$/.exec(before);
    return found ? found[2] : null;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function close() {
    box.hidden = true;
    box.replaceChildren();
    shown = [];
    textarea.removeAttribute("aria-activedescendant");
  }

  function mark() {
    Array.prototype.forEach.call(box.querySelectorAll("[role=option]"), function (option, index) {
      option.setAttribute("aria-selected", index === active ? "true" : "false");
    });
    if (shown.length) textarea.setAttribute("aria-activedescendant", "mention-" + active);
  }

  function render(word) {
    var wanted = fold(word);
    shown = people.filter(function (person) {
      return !wanted || fold(person.name).split(/\s+/).some(function (part) { return part.indexOf(wanted) === 0; })
        || person.handle.indexOf(wanted) === 0;
    }).slice(0, MAX);
    active = 0;
    box.replaceChildren();
    var list = document.createElement("ul");
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "@");
    if (!shown.length) {
      var empty = document.createElement("p");
      empty.className = "mention-none";
      empty.textContent = box.dataset.none;
      box.appendChild(empty);
    }
    shown.forEach(function (person, index) {
      var option = document.createElement("li");
      option.id = "mention-" + index;
      option.setAttribute("role", "option");
      var name = document.createElement("strong");
      name.textContent = person.name;
      var handle = document.createElement("span");
      handle.textContent = "@" + person.handle;
      option.append(name, " ", handle);
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus (and the caret) in the note
        insert(person);
      });
      list.appendChild(option);
    });
    if (shown.length) box.appendChild(list);
    box.hidden = false;
    mark();
  }

  function insert(person) {
    var caret = textarea.selectionStart;
    var before = textarea.value.slice(0, caret).replace(/@[\w.+-]*$/, "@" + person.handle + " ");
    textarea.value = before + textarea.value.slice(caret);
    textarea.setSelectionRange(before.length, before.length);
    textarea.dispatchEvent(new Event("input", { bubbles: true })); // the draft keeps it
    close();
    textarea.focus();
  }

  textarea.addEventListener("input", function () {
    var word = isNote() ? typed() : null;
    if (word === null) { close(); return; }
    load().then(function () {
      if (typed() === word && isNote()) render(word);
    });
  });

  textarea.addEventListener("keydown", function (event) {
    if (box.hidden) return;
    if (event.key === "Escape") { close(); event.preventDefault(); event.stopPropagation(); return; }
    if (!shown.length) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      active = (active + (event.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
      mark();
    } else if (event.key === "Enter" || event.key === "Tab") {
      insert(shown[active]);
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  });

  textarea.addEventListener("blur", close);
  form.addEventListener("change", function (event) {
    if (event.target.name === "kind" && !isNote()) close();
  });
})();
