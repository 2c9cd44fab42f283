// Skill picker: suggests taxonomy skills while a skill textarea is being typed in.
// Enhances every element with data-skill-picker="<suggest URL>" holding a textarea.
// Without JavaScript the textarea still works: the server normalises free text.
(function () {
  "use strict";

  // The term being typed: text after the last newline, comma or semicolon before the caret,
  // without any ":level" or "*weight" suffix.
  function currentTerm(area) {
    var before = area.value.slice(0, area.selectionStart);
    var start = Math.max(before.lastIndexOf("\n"), before.lastIndexOf(","), before.lastIndexOf(";")) + 1;
    var raw = before.slice(start);
    var term = raw.replace(/\s*[:(*×].*$/, "").trim();
    return { start: start, raw: raw, term: term };
  }

  function enhance(box) {
    var area = box.querySelector("textarea");
    var url = box.getAttribute("data-skill-picker");
    if (!area || !url) { return; }
    box.classList.add("skill-picker");
    var menu = document.createElement("ul");
    menu.className = "list-group skill-picker-menu shadow-sm d-none";
    menu.id = area.id + "-suggestions";
    menu.setAttribute("role", "listbox");
    area.setAttribute("aria-controls", menu.id);
    area.setAttribute("aria-autocomplete", "list");
    area.parentNode.appendChild(menu);
    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";

    function close() {
      menu.classList.add("d-none");
      menu.textContent = "";
      items = [];
      active = -1;
      area.removeAttribute("aria-activedescendant");
    }

    function choose(skill) {
      var t = currentTerm(area);
      var suffix = t.raw.slice(t.raw.search(/\s*[:(*×]|$/));
      var lead = t.raw.match(/^\s*/)[0];
      var after = area.value.slice(area.selectionStart);
      var text = lead + skill.name + suffix;
      area.value = area.value.slice(0, t.start) + text + after;
      var caret = t.start + text.length;
      area.setSelectionRange(caret, caret);
      close();
      area.focus();
    }

    function highlight(i) {
      items.forEach(function (li, j) { li.classList.toggle("active", j === i); });
      active = i;
      if (i >= 0) { area.setAttribute("aria-activedescendant", items[i].id); }
    }

    function show(skills) {
      menu.textContent = "";
      items = skills.map(function (skill, i) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-action";
        li.id = menu.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-slug", skill.slug);
        li.textContent = skill.name;
        if (skill.name_en && skill.name_en !== skill.name) {
          var small = document.createElement("span");
          small.className = "text-body-secondary small ms-2";
          small.textContent = skill.name_en;
          li.appendChild(small);
        }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(skill);
        });
        menu.appendChild(li);
        return li;
      });
      menu.classList.toggle("d-none", items.length === 0);
      active = -1;
      menu._skills = skills;
    }

    function lookup() {
      var t = currentTerm(area);
      if (t.term.length < 2) { close(); return; }
      if (t.term === lastQuery && items.length) { return; }
      lastQuery = t.term;
      fetch(url + "?q=" + encodeURIComponent(t.term), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { skills: [] }; })
        .then(function (data) {
          // Suggestions that arrive once the person has moved on to another field stay
          // hidden: an open list would cover the fields and buttons below.
          if (document.activeElement === area && data.query === currentTerm(area).term) {
            show(data.skills || []);
          }
        })
        .catch(close);
    }

    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    area.addEventListener("keydown", function (event) {
      if (!items.length) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(menu._skills[active]); }
      else if (event.key === "Escape") { close(); }
    });
    area.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("[data-skill-picker]").forEach(enhance);
})();
