// Card payment on the order's pay page. With Stripe.js proper, the Payment Element
// confirms in the browser and Stripe brings the shopper back to the order page. A
// Stripe.js without `confirmPayment` (localstripe's, used by the tests) gets a card
// token in the browser; our server confirms the intent with it; 3-D Secure, if asked
// for, runs in the browser. Either way the order page and the webhook settle the order.
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form || typeof Stripe === "undefined") return;
  var data = form.dataset;
  var stripe = Stripe(data.publishableKey);
  var message = document.getElementById("payment-message");
  var button = form.querySelector("button[type=submit]");
  var full = typeof stripe.confirmPayment === "function";
  var elements = full
    ? stripe.elements({ clientSecret: data.clientSecret, locale: document.documentElement.lang })
    : stripe.elements();
  var element = elements.create(full ? "payment" : "card");
  element.mount("#card-element");
  button.disabled = false;

  function fail(text) {
    message.textContent = text || data.genericError;
    button.disabled = false;
  }

  async function confirmOnServer() {
    var result = await stripe.createToken(element);
    if (result.error) return fail(result.error.message);
    var response = await fetch(data.confirmUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        payment_method: result.token.card.id,
        csrfmiddlewaretoken: form.elements.csrfmiddlewaretoken.value,
      }),
    });
    var answer = await response.json().catch(function () { return {}; });
    if (!response.ok || answer.error) return fail(answer.error);
    if (answer.status === "requires_action") {
      var action = await stripe.confirmCardPayment(data.clientSecret);
      if (action.error) return fail(action.error.message);
    }
    window.location.assign(data.returnUrl);
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    button.disabled = true;
    message.textContent = "";
    try {
      if (!full) return await confirmOnServer();
      var result = await stripe.confirmPayment({
        elements: elements,
        confirmParams: { return_url: data.returnUrl },
      });
      fail(result.error && result.error.message); // success leaves the page
    } catch (error) {
      fail();
    }
  });
})();
