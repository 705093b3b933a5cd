// Renderer for SmartPay by J.P. Morgan (kind "jpmsmartpay"). Adapts SmartPay's web SDK (smp-bundle.js, loaded by the
// page from widget.scriptUrl after this file) to the page's handlers; see "Widget providers: the renderer contract"
// at the top of checkout.js. SmartPay's docs: window.SmpLibrary.SmartPayAppInstance.renderWidget(options) with the
// checkout token, a "selector-container", successHandler(data) when the journey ends (paid or not: the page asks
// the server, which asks SmartPay) and errorHandler(errorCode, message).
(function () {
  'use strict';

  var widgets = window.GatewayWidgets = window.GatewayWidgets || {};
  var CONTAINER_ID = 'jpmsmartpay-selector-container';

  // The docs' error codes: the checkout ran out (a fresh attempt), a payment-option vault hiccup the widget itself
  // lets the shopper retry (no handler), and everything else ends this attempt (the shopper may pay again or pick
  // another method; ERROR_INIT_PAYMENT is the documented "retry with another method").
  var EXPIRED = { ERROR_CHECKOUT_TIMEOUT: true };
  var RECOVERABLE_IN_WIDGET = { ERROR_INIT_STORE_PAYMENT_OPTION: true };

  // The docs: smartpay-style.css is loaded before the widget renders. Once per page; a stylesheet that fails or
  // never loads (the page's widget timeout) ends this attempt with a way on, like a script that does not load.
  var stylesheets = {};

  function timeoutMs() {
    var configured = Number(document.documentElement.getAttribute('data-widget-timeout-ms'));
    return configured > 0 ? configured : 15000;
  }

  function loadStylesheet(href) {
    if (!href) { return Promise.resolve(); }
    if (!stylesheets[href]) {
      stylesheets[href] = new Promise(function (resolve, reject) {
        var link = document.createElement('link');
        var timer = setTimeout(function () { fail(); }, timeoutMs());
        function fail() {
          clearTimeout(timer);
          delete stylesheets[href];
          link.remove();
          reject(new Error('The SmartPay stylesheet did not load.'));
        }
        link.rel = 'stylesheet';
        link.href = href;
        link.onload = function () { clearTimeout(timer); resolve(); };
        link.onerror = fail;
        document.head.appendChild(link);
      });
    }
    return stylesheets[href];
  }

  widgets.jpmsmartpay = {
    render: function (container, widget, handlers) {
      var sdk = window.SmpLibrary && window.SmpLibrary.SmartPayAppInstance;
      if (!sdk || typeof sdk.renderWidget !== 'function') {
        throw new Error('The SmartPay web SDK did not load.');
      }
      var box = document.createElement('div');
      box.id = CONTAINER_ID;
      container.appendChild(box);
      var alive = true;
      loadStylesheet(/^https?:\/\//.test(widget.stylesheetUrl || '') ? widget.stylesheetUrl : '').then(function () {
        if (alive) { renderWith(sdk, widget, handlers); }
      }, function () {
        if (alive) { handlers.failed('stylesheet_error', ''); }
      });
      return {
        destroy: function () { alive = false; box.remove(); }
      };
    }
  };

  function renderWith(sdk, widget, handlers) {
    sdk.renderWidget({
      checkoutToken: widget.checkoutToken,
      'selector-container': CONTAINER_ID,
      successHandler: function (data) {
        // ADD_METHOD_CALLBACK reports a stored payment option, not a payment.
        if (data && data.kind === 'ADD_METHOD_CALLBACK') { return; }
        handlers.paid();
      },
      errorHandler: function (errorCode, message) {
        var code = typeof errorCode === 'string' && errorCode !== '' ? errorCode : 'ERROR';
        if (EXPIRED[code]) {
          handlers.expired();
        } else if (!RECOVERABLE_IN_WIDGET[code]) {
          handlers.failed(code, typeof message === 'string' ? message : '');
        }
      }
    });
  }
})();
