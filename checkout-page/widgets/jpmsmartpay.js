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

  widgets.jpmsmartpay = {
    render: function (container, widget, handlers) {
      var sdk = window.SmpLibrary && window.SmpLibrary.SmartPayAppInstance;
      if (!sdk || typeof sdk.renderWidget !== 'function') {
        throw new Error('The SmartPay web SDK did not load.');
      }
      var box = document.createElement('div');
      box.id = CONTAINER_ID;
      container.appendChild(box);
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
      return {
        destroy: function () { box.remove(); }
      };
    }
  };
})();
