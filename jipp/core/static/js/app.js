/*
 * Hub JIPP: small progressive enhancements. Plain JS, no framework, no build.
 * Load once in the base template:  <script src="{% static 'js/app.js' %}" defer></script>
 * Every page works without it; the server validates everything again.
 *
 * Listeners are delegated to the document, so content swapped in by htmx (or restored
 * from htmx's history cache) needs no re-binding; word counters are (re)drawn on
 * htmx:load and htmx:historyRestore.
 *
 *  (a) <textarea data-word-limit="600" data-words-label="kata"
 *                data-over-label="{n} kata melebihi batas">
 *      gets a counter "123 / 600 kata" right after it (or fills an existing element with
 *      id "<textarea id>-word-count"). Over the limit the counter gets class "over", the
 *      textarea "word-limit-over", and the text changes: data-over-label with {n} = words
 *      too many, else "(+n)". Words are runs of non-space characters, the same as
 *      Python's len(text.split()); use that in the form's validator.
 *  (b) data-autosubmit on a <select>, checkbox or radio (or on a form / fieldset holding
 *      them): a change submits the form with requestSubmit(), so htmx forms still work.
 *      Text inputs are ignored; they submit with Enter.
 *  (c) data-confirm="Hapus usulan ini?" on a button, link or <form>: asks first and
 *      cancels the click / submit if declined (also stops htmx on that element).
 *  (d) <button type="button" data-copy="text"> copies the text; with
 *      data-copy-target="#id" it copies that element's value or text instead.
 *      data-copied-label="Tersalin" is shown for two seconds and announced.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("js");

  // ---- shared live region for short announcements --------------------------------------

  var liveRegion = null;

  function announce(message) {
    if (!message) return;
    if (!liveRegion || !document.body.contains(liveRegion)) {
      liveRegion = document.createElement("div");
      liveRegion.className = "visually-hidden";
      liveRegion.setAttribute("aria-live", "polite");
      liveRegion.setAttribute("role", "status");
      document.body.appendChild(liveRegion);
    }
    liveRegion.textContent = "";
    // A fresh text node after a tick makes screen readers repeat the same message.
    window.setTimeout(function () { liveRegion.textContent = message; }, 50);
  }

  // ---- (a) word counters -------------------------------------------------------------------

  var WORD_SELECTOR = "textarea[data-word-limit]";
  var idSequence = 0;
  var statusTimers = new WeakMap();

  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function formatNumber(n) {
    try {
      return n.toLocaleString(root.lang || undefined);
    } catch (error) {
      return String(n);
    }
  }

  function wordLimit(textarea) {
    var limit = parseInt(textarea.getAttribute("data-word-limit"), 10);
    return limit > 0 ? limit : 0;
  }

  function counterText(textarea, words, limit) {
    var label = textarea.getAttribute("data-words-label") || "kata";
    var text = formatNumber(words) + " / " + formatNumber(limit) + " " + label;
    if (words > limit) {
      var excess = formatNumber(words - limit);
      var over = textarea.getAttribute("data-over-label");
      text += over ? " \u2014 " + over.replace("{n}", excess) : " (+" + excess + ")";
    }
    return text;
  }

  // Create (once) the visible counter and a hidden status for screen readers.
  function counterParts(textarea) {
    if (!textarea.id) {
      idSequence += 1;
      textarea.id = "word-limit-" + idSequence;
    }
    var counterId = textarea.id + "-word-count";
    var statusId = counterId + "-status";
    var counter = document.getElementById(counterId);
    if (!counter) {
      counter = document.createElement("div");
      counter.id = counterId;
      counter.className = "word-count";
      textarea.insertAdjacentElement("afterend", counter);
    }
    // The visible counter changes on every key; screen readers get the calmer status below.
    counter.setAttribute("aria-hidden", "true");
    var status = document.getElementById(statusId);
    if (!status) {
      status = document.createElement("div");
      status.id = statusId;
      status.className = "visually-hidden";
      status.setAttribute("aria-live", "polite");
      counter.insertAdjacentElement("afterend", status);
    }
    var describedBy = (textarea.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (describedBy.indexOf(statusId) === -1) {
      describedBy.push(statusId);
      textarea.setAttribute("aria-describedby", describedBy.join(" "));
    }
    return { counter: counter, status: status };
  }

  function updateCounter(textarea, typing) {
    var limit = wordLimit(textarea);
    if (!limit) return;
    var parts = counterParts(textarea);
    var words = countWords(textarea.value);
    var text = counterText(textarea, words, limit);
    var over = words > limit;
    parts.counter.textContent = text;
    parts.counter.classList.toggle("over", over);
    textarea.classList.toggle("word-limit-over", over);
    // Announce only once typing pauses, not on every key.
    window.clearTimeout(statusTimers.get(textarea));
    if (typing) {
      statusTimers.set(textarea, window.setTimeout(function () { parts.status.textContent = text; }, 1000));
    } else {
      parts.status.textContent = text;
    }
  }

  function initWordCounters(scope) {
    if (!scope || !scope.querySelectorAll) return;
    if (scope.matches && scope.matches(WORD_SELECTOR)) updateCounter(scope, false);
    Array.prototype.forEach.call(scope.querySelectorAll(WORD_SELECTOR), function (textarea) {
      updateCounter(textarea, false);
    });
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target instanceof HTMLTextAreaElement && target.matches(WORD_SELECTOR)) updateCounter(target, true);
  });

  // ---- (b) auto-submit -------------------------------------------------------------------------

  document.addEventListener("change", function (event) {
    var control = event.target;
    if (!(control instanceof Element) || !control.closest("[data-autosubmit]")) return;
    var isChoice =
      control instanceof HTMLSelectElement ||
      (control instanceof HTMLInputElement && (control.type === "checkbox" || control.type === "radio"));
    var form = control.form;
    if (!isChoice || !form) return;
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  // ---- (c) confirm dialogs ---------------------------------------------------------------------

  // Capture phase, so a "no" stops the event before htmx or other handlers on the element.
  document.addEventListener(
    "click",
    function (event) {
      var el = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
      if (!el || el instanceof HTMLFormElement) return;
      if (el.disabled || window.confirm(el.getAttribute("data-confirm"))) {
        if (el.form && el.form.hasAttribute("data-confirm")) el.form.setAttribute("data-confirmed", "");
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
    },
    true
  );

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
      // A button that already asked its own question does not ask again.
      var asked = form.hasAttribute("data-confirmed");
      form.removeAttribute("data-confirmed");
      if (asked || window.confirm(form.getAttribute("data-confirm"))) return;
      event.preventDefault();
      event.stopImmediatePropagation();
    },
    true
  );

  // ---- (d) copy to clipboard -------------------------------------------------------------------

  function copyWithSelection(text) {
    var scratch = document.createElement("textarea");
    scratch.value = text;
    scratch.setAttribute("readonly", "");
    scratch.style.position = "fixed";
    scratch.style.top = "-1000px";
    document.body.appendChild(scratch);
    scratch.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    scratch.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyWithSelection(text); });
    }
    return copyWithSelection(text);
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!button) return;
    event.preventDefault();
    var text = button.getAttribute("data-copy") || "";
    var source = null;
    var selector = button.getAttribute("data-copy-target");
    if (selector) {
      source = document.querySelector(selector);
      if (source) {
        var isField = source instanceof HTMLInputElement || source instanceof HTMLTextAreaElement;
        text = isField ? source.value : source.textContent.trim();
      }
    }
    if (!text) return;
    copyText(text).then(
      function () {
        var label = button.getAttribute("data-copied-label");
        button.classList.add("is-copied");
        if (label && !button.hasAttribute("data-copy-original")) {
          button.setAttribute("data-copy-original", button.innerHTML);
          button.textContent = label;
        }
        announce(label);
        window.setTimeout(function () {
          button.classList.remove("is-copied");
          if (button.hasAttribute("data-copy-original")) {
            button.innerHTML = button.getAttribute("data-copy-original");
            button.removeAttribute("data-copy-original");
          }
        }, 2000);
      },
      function () {
        // No clipboard: select the source so the user can copy it by hand.
        if (source && typeof source.select === "function") source.select();
        announce(button.getAttribute("data-copy-failed-label"));
      }
    );
  });

  // ---- start -----------------------------------------------------------------------------------

  initWordCounters(document);
  document.addEventListener("htmx:load", function (event) { initWordCounters(event.target); });
  document.addEventListener("htmx:historyRestore", function () { initWordCounters(document); });
})();
