// The "Print this page" button on the proof of an IRIS check.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-iris-print]")) window.print();
});
