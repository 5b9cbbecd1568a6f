// Progressive enhancement only: every feature here also works as plain links and forms.
(function () {
  "use strict";

  // Filters start open on wide screens, folded on phones.
  document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
    if (window.matchMedia("(min-width: 800px)").matches) details.open = true;
  });

  // Search suggestions from the public API as the shopper types.
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null;
    var pending = null;

    function close() {
      clearTimeout(timer);
      if (pending) pending.abort();
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
    }

    function show(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.title;
        var where = document.createElement("span");
        where.textContent = item.producer + " · " + item.province;
        link.appendChild(where);
        li.appendChild(link);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", String(items.length > 0));
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) return close();
      timer = setTimeout(function () {
        if (pending) pending.abort();
        pending = new AbortController();
        var url = input.dataset.suggest + "?limit=6&q=" + encodeURIComponent(text);
        fetch(url, { signal: pending.signal })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(show)
          .catch(function () { /* offline or superseded: the form still works */ });
      }, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !list.hidden) {
        event.preventDefault();
        list.querySelector("a").focus();
      } else if (event.key === "Escape") {
        close();
      }
    });

    list.addEventListener("keydown", function (event) {
      var current = document.activeElement.closest("li");
      if (event.key === "ArrowDown" && current.nextElementSibling) {
        event.preventDefault();
        current.nextElementSibling.querySelector("a").focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        var previous = current.previousElementSibling;
        (previous ? previous.querySelector("a") : input).focus();
      } else if (event.key === "Escape") {
        close();
        input.focus();
      }
    });

    document.addEventListener("click", function (event) {
      if (!list.contains(event.target) && event.target !== input) close();
    });
  });

  // Checkout: the commune list follows the province at once (without JavaScript the
  // shopper presses "Chọn xã/phường", which is hidden here).
  document.querySelectorAll("select[data-communes]").forEach(function (province) {
    var commune = document.getElementById(province.getAttribute("data-communes"));
    var form = province.form;
    form.querySelectorAll("[data-nojs]").forEach(function (el) { el.hidden = true; });
    var first = commune.options[0];
    province.addEventListener("change", function () {
      commune.textContent = "";
      commune.appendChild(first);
      if (!province.value) return;
      fetch("/thanh-toan/xa-phuong/?province=" + encodeURIComponent(province.value))
        .then(function (response) { return response.ok ? response.json() : { communes: [] }; })
        .then(function (data) {
          data.communes.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.id;
            option.textContent = item.name;
            commune.appendChild(option);
          });
        });
    });
  });
})();
