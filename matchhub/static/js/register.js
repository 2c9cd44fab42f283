// Show the organisation fields only to enterprises and training institutions.
// Without JavaScript they simply stay visible, and the server validates them by role.
(function () {
  const form = document.getElementById("register-form");
  const orgFields = document.getElementById("org-fields");
  if (!form || !orgFields) return;
  function update() {
    const role = form.querySelector("input[name=role]:checked");
    orgFields.hidden = !role || role.value === "learner";
  }
  form.addEventListener("change", update);
  update();
})();
