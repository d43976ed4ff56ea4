// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary after a failed submit, so screen readers announce it.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
    // An address ending in #main (the skip link adds it, and a form keeps it when sent)
    // moves the focus to <main> once the page has loaded: take it back to the summary.
    window.addEventListener("load", function () { summary.focus(); });
  }

  // Keep whatever the page scrolls to (the field an error link names, a #fragment) clear of the
  // sticky exit button, however tall it is at this width and in this language (WCAG 2.4.11).
  // site.css sets a padding that fits most screens; this makes it exact.
  var sticky = document.querySelector(".quick-exit");
  if (sticky && window.ResizeObserver) {
    new ResizeObserver(function () {
      document.documentElement.style.scrollPaddingTop = sticky.offsetHeight + 16 + "px";
    }).observe(sticky);
  }

  keepTypedTextAcrossALanguageChange();
  quickExit();
});

// Keys that leave the page, the text typed kept nowhere (see quickExit and the language switcher).
var TYPED_TEXT_KEY = "iomuk-typed-text";

// Quick exit, as GOV.UK Frontend's "Exit this page" behaves: the button, or Shift pressed three
// times on its own within 5 seconds, leaves at once, replacing this page so "Back" does not
// return to it. Shift held to type a capital is not counted, and any other key starts the count
// again: people type references and names in capitals on these pages.
function quickExit() {
  var region = document.querySelector("[data-quick-exit-region]");
  var exit = document.querySelector("[data-quick-exit]");
  if (!region || !exit) { return; }
  var indicator = region.querySelector(".quick-exit-indicator");
  var lights = region.querySelectorAll(".quick-exit-indicator-light");
  var status = region.querySelector("[data-quick-exit-status]");
  var presses = 0;
  var otherKeyWithShift = false;
  var timer = null;

  function leave(event) {
    if (event) { event.preventDefault(); }
    try { window.sessionStorage.removeItem(TYPED_TEXT_KEY); } catch (e) { /* storage off */ }
    var said = region.getAttribute("data-activated");
    document.body.replaceChildren();
    // Said to screen readers while the next page loads; nothing of the page is left behind.
    var note = document.createElement("p");
    note.setAttribute("role", "alert");
    note.textContent = said;
    document.body.appendChild(note);
    window.location.replace(exit.href);
  }

  function show() {
    indicator.hidden = presses === 0;
    lights.forEach(function (light, index) {
      light.classList.toggle("quick-exit-indicator-light-on", index < presses);
    });
    var left = 3 - presses;
    status.textContent = presses === 0 ? "" : region.getAttribute("data-press-" + left);
  }

  function reset() {
    presses = 0;
    if (timer) { clearTimeout(timer); timer = null; }
    show();
  }

  exit.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      // Held down, Shift repeats: only its first press starts a press on its own.
      if (!event.repeat) { otherKeyWithShift = false; }
      return;
    }
    // A letter typed with Shift held, or any other key: not a press of Shift on its own.
    otherKeyWithShift = true;
    if (presses > 0) { reset(); }
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { return; }
    if (otherKeyWithShift) {
      otherKeyWithShift = false;
      return;
    }
    presses += 1;
    if (presses >= 3) {
      reset();
      leave();
      return;
    }
    show();
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(reset, 5000);
  });
}

// Switching language reloads the page: what was typed in its form is carried over in this tab's
// session storage and put back in the same fields, then forgotten. Files, passwords and hidden
// fields are not carried. (The quick exit forgets it too.)
function keepTypedTextAcrossALanguageChange() {
  var storage;
  try { storage = window.sessionStorage; } catch (e) { return; }
  if (!storage) { return; }
  var CARRIED = "input:not([type]), input[type=text], input[type=email], input[type=tel], " +
    "input[type=search], input[type=url], input[type=number], input[type=date], " +
    "input[type=checkbox], input[type=radio], select, textarea";

  var saved = storage.getItem(TYPED_TEXT_KEY);
  storage.removeItem(TYPED_TEXT_KEY);
  if (saved) {
    try { saved = JSON.parse(saved); } catch (e) { saved = null; }
  }
  if (saved && saved.path === window.location.pathname) {
    document.querySelectorAll("main form").forEach(function (form, formIndex) {
      var values = saved.forms[formIndex] || {};
      form.querySelectorAll(CARRIED).forEach(function (field) {
        if (!field.name || !(field.name in values)) { return; }
        var value = values[field.name];
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = value.indexOf(field.value) !== -1;
        } else if (field.multiple) {
          Array.prototype.forEach.call(field.options, function (option) {
            option.selected = value.indexOf(option.value) !== -1;
          });
        } else {
          field.value = value[0] || "";
        }
      });
      // A ticked box put back inside a closed list (the join form's countries) is shown.
      form.querySelectorAll("details").forEach(function (details) {
        if (details.querySelector("input:checked")) { details.open = true; }
      });
    });
  }

  document.querySelectorAll(".language-switcher a").forEach(function (link) {
    link.addEventListener("click", function () {
      var forms = [];
      var changed = false;
      document.querySelectorAll("main form").forEach(function (form) {
        var values = {};
        form.querySelectorAll(CARRIED).forEach(function (field) {
          if (!field.name) { return; }
          values[field.name] = values[field.name] || [];
          if (field.type === "checkbox" || field.type === "radio") {
            if (field.checked) { values[field.name].push(field.value); }
            changed = changed || field.checked !== field.defaultChecked;
          } else if (field.tagName === "SELECT") {
            Array.prototype.forEach.call(field.selectedOptions, function (option) {
              values[field.name].push(option.value);
            });
            changed = changed || Array.prototype.some.call(field.options, function (option) {
              return option.selected !== option.defaultSelected;
            });
          } else {
            values[field.name].push(field.value);
            changed = changed || field.value !== field.defaultValue;
          }
        });
        forms.push(values);
      });
      if (!changed) { return; }
      storage.setItem(TYPED_TEXT_KEY, JSON.stringify({path: window.location.pathname, forms: forms}));
    });
  });
}
