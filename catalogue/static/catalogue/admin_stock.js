/* "Tồn kho": − / + beside each number box. Without JavaScript the buttons stay hidden
   and the box and "Lưu" work alone. The box takes 1.000 as a thousand, like the server. */
(function () {
  "use strict";
  function count(text) {
    var digits = String(text).replace(/[\s.,]/g, "");
    return /^[0-9]+$/.test(digits) ? parseInt(digits, 10) : 0;
  }
  document.querySelectorAll("[data-stock-form]").forEach(function (form) {
    var box = form.querySelector(".stock-number");
    form.querySelectorAll(".stock-step").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        box.value = Math.max(0, count(box.value) + parseInt(button.dataset.step, 10));
      });
    });
  });
})();
