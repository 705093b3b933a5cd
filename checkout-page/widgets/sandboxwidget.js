// Renderer for Sandbox Widget (kind "sandboxwidget"), the test-only widget of the sandbox's Sandbox Pay simulator.
// Adapts its script (window.SandboxWidget, loaded by the page from widget.scriptUrl after this file) to the page's
// handlers; see "Widget providers: the renderer contract" at the top of checkout.js.
(function () {
  'use strict';

  var widgets = window.GatewayWidgets = window.GatewayWidgets || {};

  widgets.sandboxwidget = {
    render: function (container, widget, handlers) {
      if (!window.SandboxWidget || typeof window.SandboxWidget.render !== 'function') {
        throw new Error('The Sandbox Widget script did not load.');
      }
      return window.SandboxWidget.render(container, {
        checkoutToken: widget.checkoutToken,
        // Fires when the widget's journey ends; proves nothing: the page asks the server.
        successHandler: function () { handlers.paid(); },
        errorHandler: function (error) {
          var code = error && typeof error.code === 'string' ? error.code : 'ERROR';
          if (code === 'ERROR_CHECKOUT_TIMEOUT') {
            handlers.expired();
          } else {
            handlers.failed(code, error && error.message);
          }
        }
      });
    }
  };
})();
