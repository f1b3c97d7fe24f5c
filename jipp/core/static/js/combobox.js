/*
 * Type-ahead for long lists (agencies, units, regions, innovations, people): turns each
 * <select data-typeahead="single|multiple" data-typeahead-url="..."> into an ARIA 1.2 combobox
 * (an editable input with a listbox popup) that asks the server as the user types. The <select>
 * stays in the form, hidden, and holds the chosen value(s): without JavaScript it is simply shown.
 *
 * Keyboard (WAI-ARIA Authoring Practices, "editable combobox with list autocomplete"):
 *   Down/Up move through the suggestions (Alt+Down opens them), Enter chooses, Escape closes the
 *   list and, pressed again, clears the text; Tab leaves. In a multiple choice, each chosen item
 *   is a button that removes it, and Backspace in the empty input removes the last one.
 * The number of suggestions is announced in a polite live region.
 */
(function () {
  "use strict";

  var counter = 0;

  function text(select, key, fallback) {
    return select.getAttribute("data-typeahead-" + key) || fallback;
  }

  function Combobox(select) {
    counter += 1;
    this.select = select;
    this.multiple = select.getAttribute("data-typeahead") === "multiple";
    this.url = select.getAttribute("data-typeahead-url");
    this.min = parseInt(select.getAttribute("data-typeahead-min") || "2", 10);
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.uid = "cbx" + counter;
    this.build();
  }

  Combobox.prototype.build = function () {
    var select = this.select;
    var originalId = select.id || this.uid + "-select";
    var label = document.querySelector('label[for="' + originalId + '"]');

    var wrapper = document.createElement("div");
    wrapper.className = "combobox";
    select.parentNode.insertBefore(wrapper, select);

    if (this.multiple) {
      this.chips = document.createElement("ul");
      this.chips.className = "list-inline mb-1 combobox-chips";
      this.chips.setAttribute("aria-label", text(select, "chosen", "Chosen"));
      wrapper.appendChild(this.chips);
    }

    var input = document.createElement("input");
    input.type = "text";
    input.className = (select.className || "").replace(/\bform-select\b/, "form-control").trim() || "form-control";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) {
        input.setAttribute(name, select.getAttribute(name));
      }
    });
    input.placeholder = text(select, "placeholder", "");
    // The label now names the input: it takes over the select's id.
    select.id = originalId + "_select";
    input.id = originalId;
    wrapper.appendChild(input);

    var list = document.createElement("ul");
    list.className = "combobox-list";
    list.id = this.uid + "-list";
    list.setAttribute("role", "listbox");
    if (label) {
      label.id = label.id || this.uid + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    list.hidden = true;
    wrapper.appendChild(list);
    input.setAttribute("aria-controls", list.id);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    status.setAttribute("role", "status");
    wrapper.appendChild(status);

    wrapper.appendChild(select);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;

    this.wrapper = wrapper;
    this.input = input;
    this.list = list;
    this.status = status;
    this.sync();

    var self = this;
    input.addEventListener("input", function () { self.onInput(); });
    input.addEventListener("keydown", function (event) { self.onKey(event); });
    input.addEventListener("blur", function () {
      // Leaving without choosing keeps the last choice (typing is only a search).
      window.setTimeout(function () {
        if (!wrapper.contains(document.activeElement)) {
          self.close();
          self.restore();
        }
      }, 150);
    });
    list.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the input
      var option = event.target.closest("[role=option]");
      if (option) {
        self.choose(parseInt(option.getAttribute("data-index"), 10));
      }
    });
  };

  Combobox.prototype.sync = function () {
    var select = this.select;
    if (!this.multiple) {
      var chosen = select.selectedIndex >= 0 ? select.options[select.selectedIndex] : null;
      this.input.value = chosen && chosen.value ? chosen.text : "";
      return;
    }
    var self = this;
    this.chips.textContent = "";
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.selected || !option.value) {
        return;
      }
      var item = document.createElement("li");
      item.className = "list-inline-item mb-1";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary";
      button.textContent = option.text + " \u00d7";
      button.setAttribute("aria-label", text(select, "remove", "Remove %s").replace("%s", option.text));
      button.addEventListener("click", function () {
        option.selected = false;
        self.changed();
        self.sync();
        self.announce(text(select, "removed", "%s removed").replace("%s", option.text));
        self.input.focus();
      });
      item.appendChild(button);
      self.chips.appendChild(item);
    });
  };

  Combobox.prototype.restore = function () {
    if (this.multiple) {
      this.input.value = "";
      return;
    }
    if (this.input.value.trim() === "") {
      if (this.select.value !== "") {
        this.select.value = "";
        this.changed();
      }
      return;
    }
    this.sync();
  };

  Combobox.prototype.changed = function () {
    this.select.dispatchEvent(new Event("change", { bubbles: true }));
  };

  Combobox.prototype.announce = function (message) {
    this.status.textContent = message;
  };

  Combobox.prototype.onInput = function () {
    var self = this;
    window.clearTimeout(this.timer);
    var query = this.input.value.trim();
    if (query.length < this.min) {
      this.close();
      if (query.length > 0) {
        this.announce(text(this.select, "hint", "Type at least %s characters").replace("%s", this.min));
      }
      return;
    }
    this.timer = window.setTimeout(function () { self.fetch(query); }, 200);
  };

  Combobox.prototype.fetch = function (query) {
    var self = this;
    if (this.request) {
      this.request.abort();
    }
    var controller = new AbortController();
    this.request = controller;
    var url = this.url + (this.url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
    window.fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (self.input.value.trim() !== query) {
          return; // the user typed on; a newer answer is coming
        }
        var chosen = {};
        if (self.multiple) {
          Array.prototype.forEach.call(self.select.options, function (option) {
            if (option.selected) { chosen[option.value] = true; }
          });
        }
        self.show((data.results || []).filter(function (row) { return !chosen[row.value]; }));
      })
      .catch(function () { /* aborted or offline: the plain text stays */ });
  };

  Combobox.prototype.show = function (results) {
    var self = this;
    this.results = results;
    this.active = -1;
    this.list.textContent = "";
    if (!results.length) {
      var empty = document.createElement("li");
      empty.className = "combobox-empty";
      empty.setAttribute("role", "option");
      empty.setAttribute("aria-disabled", "true");
      empty.textContent = text(this.select, "empty", "No match");
      this.list.appendChild(empty);
    }
    results.forEach(function (row, index) {
      var option = document.createElement("li");
      option.className = "combobox-option";
      option.id = self.uid + "-opt" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      option.appendChild(document.createTextNode(row.label));
      if (row.detail) {
        var detail = document.createElement("small");
        detail.textContent = row.detail;
        option.appendChild(detail);
      }
      self.list.appendChild(option);
    });
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.input.removeAttribute("aria-activedescendant");
    this.announce(results.length
      ? text(this.select, "count", "%s suggestions").replace("%s", results.length)
      : text(this.select, "empty", "No match"));
  };

  Combobox.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Combobox.prototype.isOpen = function () {
    return !this.list.hidden;
  };

  Combobox.prototype.move = function (step) {
    if (!this.results.length) {
      return;
    }
    var options = this.list.querySelectorAll(".combobox-option");
    if (this.active >= 0) {
      options[this.active].setAttribute("aria-selected", "false");
    }
    this.active = (this.active + step + this.results.length) % this.results.length;
    var current = options[this.active];
    current.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.choose = function (index) {
    var row = this.results[index];
    if (!row) {
      return;
    }
    var select = this.select;
    var option = null;
    Array.prototype.forEach.call(select.options, function (candidate) {
      if (candidate.value === row.value) { option = candidate; }
    });
    if (!option) {
      option = new Option(row.label, row.value);
      select.appendChild(option);
    }
    if (!this.multiple) {
      select.value = row.value;
    }
    option.selected = true;
    this.close();
    this.changed();
    this.sync();
    if (this.multiple) {
      this.input.value = "";
    }
    this.announce(text(select, "chose", "%s chosen").replace("%s", row.label));
  };

  Combobox.prototype.onKey = function (event) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!this.isOpen()) {
          if (this.results.length) {
            this.show(this.results);
          } else if (this.input.value.trim().length >= this.min) {
            this.fetch(this.input.value.trim());
          }
          if (event.altKey) { return; }
        }
        this.move(1);
        break;
      case "ArrowUp":
        if (this.isOpen()) {
          event.preventDefault();
          this.move(-1);
        }
        break;
      case "Enter":
        if (this.isOpen()) {
          event.preventDefault(); // choosing must not submit the form
          if (this.active >= 0) {
            this.choose(this.active);
          } else if (this.results.length === 1) {
            this.choose(0);
          }
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          if (!this.multiple && this.select.value !== "") {
            this.select.value = "";
            this.changed();
          }
        }
        break;
      case "Backspace":
        if (this.multiple && this.input.value === "") {
          var selected = Array.prototype.filter.call(this.select.options, function (o) { return o.selected && o.value; });
          if (selected.length) {
            var last = selected[selected.length - 1];
            last.selected = false;
            this.changed();
            this.sync();
            this.announce(text(this.select, "removed", "%s removed").replace("%s", last.text));
          }
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  function init(root) {
    (root || document).querySelectorAll("select[data-typeahead]").forEach(function (select) {
      if (!select.hasAttribute("data-typeahead-ready")) {
        select.setAttribute("data-typeahead-ready", "");
        new Combobox(select);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // Forms swapped in by htmx get their comboboxes too.
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
}());
