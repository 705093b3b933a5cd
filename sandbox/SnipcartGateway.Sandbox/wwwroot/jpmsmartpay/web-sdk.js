// Simulated SmartPay web SDK (TEST ONLY). The real one is SmartPay's smp-bundle.js; this one exposes the same entry
// point, window.SmpLibrary.SmartPayAppInstance.renderWidget(options), renders a test form in the container and calls
// successHandler(data) / errorHandler(errorCode, message) as SmartPay's docs describe. Options read: checkoutToken
// (required), the container ('selector-container', selectorContainer or container: an element or its id),
// successHandler, errorHandler. No inline script.
//
// Loaded as web-sdk.js?thirdParty=1 it also behaves like a production SDK towards the page's CSP: it injects its own
// stylesheet (smp-sdk.css, its origin), an inline <style> element and a style attribute, frames its card fields from
// another origin, and calls its API on another host. "Another origin" is the same sandbox under its other loopback
// name (localhost <-> 127.0.0.1), which browsers treat as distinct. It records at render time whether the merchant's
// stylesheet was already applied (data-smp-styled), and whether the frame and the API call worked.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script && script.src ? new URL(".", script.src).href.replace(/\/$/, "") : "";
  // Also when a test page sets window.SmpSimulatorThirdParty before the script runs.
  var thirdParty = window.SmpSimulatorThirdParty === true || !!(script && script.src && new URL(script.src).searchParams.get("thirdParty"));

  function otherOrigin() {
    var url = new URL(base);
    url.hostname = url.hostname === "localhost" ? "127.0.0.1" : "localhost";
    return url.origin;
  }

  function behaveLikeProduction(container, box) {
    var styled = getComputedStyle(container).outlineColor;
    box.setAttribute("data-smp-styled", styled === "rgb(0, 90, 160)" ? "before-render" : "no");
    var sheet = el("link", { rel: "stylesheet", href: base + "/smp-sdk.css" });
    document.head.appendChild(sheet);
    var inline = document.createElement("style");
    inline.textContent = ".smp-banner { letter-spacing: 0.05em; }";
    document.head.appendChild(inline);
    box.setAttribute("style", "margin-top: 4px;");
    var frame = el("iframe", { title: "Card fields", "data-smp": "card-frame", src: otherOrigin() + "/jpmsmartpay/card-frame.html" });
    frame.addEventListener("load", function () { box.setAttribute("data-smp-frame", "loaded"); });
    box.appendChild(frame);
    fetch(otherOrigin() + "/jpmsmartpay/sdk-api/config", { headers: { "Accept": "application/json" } })
      .then(function (r) { box.setAttribute("data-smp-api", r.ok ? "ok" : "http-" + r.status); })
      .catch(function () { box.setAttribute("data-smp-api", "blocked"); });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function containerOf(options) {
    var c = options["selector-container"] || options.selectorContainer || options.container;
    if (typeof c === "string") return document.getElementById(c.replace(/^#/, ""));
    return c && c.nodeType === 1 ? c : null;
  }

  function call(handler, args) {
    if (typeof handler === "function") {
      try { handler.apply(null, args); } catch (e) { if (window.console) console.error(e); }
    }
  }

  var OUTCOMES = [
    ["pay", "Pay"],
    ["authorize", "Authorize only"],
    ["pending", "Pay (pending, then captured)"],
    ["stuck", "Pay (stays pending)"],
    ["decline", "Decline"],
    ["timeout", "Let the checkout time out"],
  ];

  function renderWidget(options) {
    options = options || {};
    var onError = function (code, message) { call(options.errorHandler, [code, message]); };
    var container = containerOf(options);
    if (!container || !options.checkoutToken) {
      onError("ERR_CONFIG", "renderWidget needs a checkoutToken and a selector-container.");
      return;
    }
    var token = encodeURIComponent(options.checkoutToken);
    container.textContent = "";
    var box = el("div", { "class": "smp-widget", "data-smp": "widget" });
    container.appendChild(box);
    box.appendChild(el("p", { "class": "smp-banner", text: "SmartPay (simulated) — TEST ONLY" }));
    if (thirdParty) behaveLikeProduction(container, box);

    fetch(base + "/widget/checkouts/" + token, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (res) {
        if (!res.ok) {
          box.appendChild(el("p", { text: res.body.message || "This checkout cannot be used." }));
          onError(res.body.code || "ERROR", res.body.message || "");
          return;
        }
        var checkout = res.body;
        box.appendChild(el("p", { "class": "smp-amount", text: Number(checkout.amount).toFixed(2) + " " + checkout.currencyCode }));
        // payment.description as the merchant sent it: what the shopper reads about the order in SmartPay's journey.
        if (checkout.description) box.appendChild(el("p", { "class": "smp-description", text: checkout.description }));
        box.appendChild(el("p", { text: "Card •••• 4242 (simulated)" }));
        var actions = el("div", { "class": "smp-actions" });
        OUTCOMES.forEach(function (o) {
          var button = el("button", { type: "button", "data-smp-outcome": o[0], text: o[1] });
          button.addEventListener("click", function () { submit(o[0]); });
          actions.appendChild(button);
        });
        box.appendChild(actions);

        function submit(outcome) {
          Array.prototype.forEach.call(actions.querySelectorAll("button"), function (b) { b.disabled = true; });
          fetch(base + "/widget/checkouts/" + token + "/submit", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ outcome: outcome }),
          })
            .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
            .then(function (result) {
              if (result.ok) {
                box.appendChild(el("p", { "class": "smp-done", text: "Submitted." }));
                call(options.successHandler, [result.body]);
              } else {
                box.appendChild(el("p", { "class": "smp-error", text: result.body.message || "Error" }));
                onError(result.body.code || "ERROR", result.body.message || "");
              }
            })
            .catch(function (e) { onError("ERROR", String(e && e.message || e)); });
        }
      })
      .catch(function (e) { onError("ERROR", String(e && e.message || e)); });
  }

  window.SmpLibrary = window.SmpLibrary || {};
  window.SmpLibrary.SmartPayAppInstance = { renderWidget: renderWidget };
})();
