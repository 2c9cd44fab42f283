// Irreversible actions ask first: a form with data-confirm="question" submits only when
// the person agrees. No inline script (the CSP forbids it); without JavaScript the form
// still works, as every core flow must.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
