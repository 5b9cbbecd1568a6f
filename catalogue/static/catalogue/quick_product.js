/* "Thêm sản phẩm nhanh": photos made a sensible size on the phone before they are sent,
   the category list filtered by plain words (no diacritics needed), variants added in
   place, and the browser's own "fill this in" messages said in Vietnamese. The form
   still works without this script (one variant, photos sent as they are). */
(function () {
  "use strict";
  var form = document.querySelector("[data-quick-product]");
  if (!form) return;
  var MAX_EDGE = 1600;          // px: sharp on any phone screen, a few hundred KB as JPEG
  var QUALITY = 0.85;
  var SMALL_ENOUGH = 600 * 1024; // bytes: a photo already this small is sent as it is

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  }

  // Photos
  var photos = form.querySelector('input[type="file"]');
  var status = form.querySelector("[data-photo-status]");
  var previews = form.querySelector("[data-photo-previews]");
  var pending = 0;
  var submits = form.querySelectorAll('button[type="submit"]');

  function busy(delta) {
    pending += delta;
    submits.forEach(function (button) { button.disabled = pending > 0; });
    if (pending > 0) status.textContent = "Đang thu nhỏ ảnh…";
  }
  status.dataset.initial = status.textContent;

  function shrink(file) {
    if (!/^image\//.test(file.type) || !window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size <= SMALL_ENOUGH) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg" }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  photos.addEventListener("change", function () {
    var chosen = Array.prototype.slice.call(photos.files);
    if (!chosen.length || !window.DataTransfer) return;
    busy(1);
    Promise.all(chosen.map(shrink)).then(function (files) {
      var transfer = new DataTransfer();
      previews.textContent = "";
      files.forEach(function (file) {
        transfer.items.add(file);
        var img = document.createElement("img");
        img.alt = "";
        img.src = URL.createObjectURL(file);
        previews.appendChild(img);
      });
      photos.files = transfer.files;
      busy(-1);
      status.textContent = "Đã chọn " + files.length + " ảnh. Chạm để chọn lại.";
    });
  });

  // Category: type plain words, the list keeps what matches and picks the first
  var filter = form.querySelector("[data-category-filter]");
  var select = form.querySelector('select[name="ocop_category"]');
  var find = form.querySelector("[data-category-find]");
  find.hidden = false;
  find.addEventListener("click", function () {
    filter.hidden = false;
    find.hidden = true;
    filter.focus();
  });
  filter.addEventListener("input", function () {
    var words = fold(filter.value).split(/\s+/).filter(Boolean);
    var first = null;
    select.querySelectorAll("option").forEach(function (option) {
      var text = option.dataset.folded || "";
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      option.hidden = !match;
      if (match && !first) first = option;
    });
    select.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
    if (first) select.value = first.value;
  });

  // Another producer (a helper's list): its own last category
  var producer = form.querySelector('select[name="producer"]');
  var lastCategories = JSON.parse(document.getElementById("qp-last-categories").textContent);
  if (producer) {
    producer.addEventListener("change", function () {
      var last = lastCategories[producer.value];
      if (last) select.value = String(last);
    });
  }

  // Variants: more rows from the formset's empty form
  var add = form.querySelector("[data-add-variant]");
  var list = form.querySelector("[data-variants]");
  var template = form.querySelector("[data-variant-template]");
  var total = form.querySelector('input[name="variants-TOTAL_FORMS"]');
  add.hidden = false;
  add.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    list.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    list.lastElementChild.querySelector("input").focus();
  });

  // The browser's "please fill in" in Vietnamese, whatever the phone's language
  form.addEventListener("invalid", function (event) {
    var field = event.target;
    if (field.validity.valueMissing) field.setCustomValidity("Hãy điền ô này.");
    else if (field.validity.rangeUnderflow) field.setCustomValidity("Số này nhỏ quá (ít nhất " + field.min + ").");
    else if (field.validity.rangeOverflow) field.setCustomValidity("Số này lớn quá (nhiều nhất " + field.max + ").");
    else field.setCustomValidity("Giá trị chưa đúng.");
  }, true);
  form.addEventListener("input", function (event) { event.target.setCustomValidity(""); });
})();
