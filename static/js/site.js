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
  // sticky top bar, however tall the bar is at this width and in this language (WCAG 2.4.11).
  // site.css sets a padding that fits most screens; this makes it exact.
  var bar = document.querySelector(".top-bar");
  if (bar && window.ResizeObserver) {
    new ResizeObserver(function () {
      document.documentElement.style.scrollPaddingTop = bar.offsetHeight + 16 + "px";
    }).observe(bar);
  }

  // Quick exit: leave at once, replacing this page so "Back" does not return to it.
  var exit = document.querySelector("[data-quick-exit]");
  if (!exit) { return; }
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.replaceChildren();
    window.location.replace(exit.href);
  }
  exit.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1000; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
});
