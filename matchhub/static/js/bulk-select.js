// "Select all" for the bulk-action bar: ticks every candidate box of the page. Without
// JavaScript the bar's "Continue with the N shown" button does the same server-side.
(function () {
  var box = document.getElementById("bulk-all");
  if (!box) return;
  box.closest("[data-select-all]").hidden = false;
  var boxes = function () {
    return document.querySelectorAll('input[type="checkbox"][name="learner_id"][form="bulk-form"]');
  };
  box.addEventListener("change", function () {
    boxes().forEach(function (b) { b.checked = box.checked; });
  });
})();
