// Skill combobox for a field that names ONE skill (the taxonomy's map and merge forms).
// Enhances every <input data-skill-suggest="<JSON URL>">: as the office types, the server
// suggests live skills whose id, name or alias contains the text (accents ignored); the
// chosen skill's id goes in the field and its names are shown under it, so that "Ứng dụng
// web" and "Lập trình web" are never confused. WAI-ARIA 1.2 combobox with a listbox popup:
// arrow keys move, Enter chooses, Escape closes, and a polite status says how many
// suggestions there are. Without JavaScript the field keeps its <datalist> and takes an
// id or a name: the server resolves either.
(function () {
  "use strict";

  function enhance(input) {
    var url = input.getAttribute("data-skill-suggest");
    if (!url || !input.id) { return; }
    var statusText = input.getAttribute("data-status") || "{n}";
    var noneText = input.getAttribute("data-none") || "";
    // The server's list replaces the browser's own: two popups would fight.
    input.removeAttribute("list");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.parentNode.classList.add("skill-picker");

    var menu = document.createElement("ul");
    menu.id = input.id + "-listbox";
    menu.className = "list-group skill-picker-menu shadow-sm d-none";
    menu.setAttribute("role", "listbox");
    var label = document.querySelector('label[for="' + input.id + '"]');
    if (label) { menu.setAttribute("aria-label", label.textContent.trim()); }
    input.setAttribute("aria-controls", menu.id);
    input.insertAdjacentElement("afterend", menu);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    menu.insertAdjacentElement("afterend", status);
    var chosen = document.getElementById(input.id + "-chosen");

    var skills = [];
    var active = -1;
    var timer = null;
    var asked = 0; // the number of the latest request: older answers are dropped

    function close() {
      menu.classList.add("d-none");
      menu.textContent = "";
      skills = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function describe(skill) {
      var names = skill.name_vi === skill.name_en ? skill.name_vi : skill.name_vi + " · " + skill.name_en;
      return names + (skill.category ? " (" + skill.category + ")" : "");
    }

    function choose(i) {
      var skill = skills[i];
      input.value = skill.slug;
      if (chosen) { chosen.textContent = describe(skill); }
      close();
      status.textContent = describe(skill);
      input.focus();
    }

    function highlight(i) {
      Array.prototype.forEach.call(menu.children, function (li, j) {
        li.classList.toggle("active", j === i);
        li.setAttribute("aria-selected", j === i ? "true" : "false");
      });
      active = i;
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", menu.children[i].id);
        menu.children[i].scrollIntoView({ block: "nearest" });
      }
    }

    function show(found) {
      menu.textContent = "";
      skills = found;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      found.forEach(function (skill, i) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-action";
        li.id = menu.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-slug", skill.slug);
        li.textContent = skill.name;
        var small = document.createElement("span");
        small.className = "text-body-secondary small ms-2";
        small.textContent = skill.slug + (skill.category ? " · " + skill.category : "");
        li.appendChild(small);
        // mousedown, not click: the field's blur would close the list first.
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        menu.appendChild(li);
      });
      var open = found.length > 0;
      menu.classList.toggle("d-none", !open);
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open ? statusText.replace("{n}", String(found.length)) : noneText;
    }

    function lookup() {
      var query = input.value.trim();
      if (!query) { close(); status.textContent = ""; return; }
      var mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      })
        .then(function (r) { return r.ok ? r.json() : { skills: [] }; })
        .then(function (data) {
          if (mine === asked && document.activeElement === input) { show(data.skills || []); }
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      if (chosen) { chosen.textContent = ""; }
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !skills.length) { event.preventDefault(); lookup(); return; }
      if (!skills.length) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % skills.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + skills.length) % skills.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("input[data-skill-suggest]").forEach(enhance);
})();
