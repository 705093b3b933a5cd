// Sandbox Widget: Sandbox Pay's TEST-ONLY payment widget, loaded by a merchant's page from
// {sandbox}/sandboxpay/widget.js. Shaped like real widget SDKs (J.P. Morgan's Checkout Web SDK):
//
//   window.SandboxWidget.render(container, {
//     checkoutToken: '<from the merchant server's create call>',
//     successHandler: function (data) { ... },   // data: {kind: 'CALLBACK', transactionId, transactionStatus}
//     errorHandler: function (error) { ... }     // error: {code, message}
//   });
//
// It renders a form inside `container` (DOM only: no inline code or styles, so it runs under a strict CSP) with
//   Pay      → the simulator marks the payment succeeded, then successHandler
//   Fail     → the simulator marks it declined, then errorHandler({code: 'ERROR_PAYMENT_DECLINED'})
//   Time out → the simulator expires the checkout, then errorHandler({code: 'ERROR_CHECKOUT_TIMEOUT'})
// and one test hook, "Success callback without paying", which calls successHandler and changes nothing at the
// simulator: a merchant that trusted the callback would confirm an unpaid order. A callback proves nothing either
// way; the merchant's server must ask the simulator (GET /sandboxpay/v1/payments/{id}).
(function () {
  'use strict';

  // The API sits next to this script: {base}/widget.js → {base}/widget/v1/checkouts/{token}.
  var script = document.currentScript;
  var base = script && script.src ? script.src.replace(/\/widget\.js(\?.*)?$/, '') : '';

  function api(token, action) {
    return base + '/widget/v1/checkouts/' + encodeURIComponent(token) + (action ? '/' + action : '');
  }

  function call(url, method) {
    return fetch(url, { method: method, credentials: 'omit', cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (res) {
        return res.json().catch(function () { return null; }).then(function (body) {
          if (!res.ok) {
            var error = new Error((body && body.detail) || ('Sandbox Pay answered ' + res.status));
            error.code = body && body.code;
            throw error;
          }
          return body;
        });
      });
  }

  // "104.10", "4500": as many decimals as the currency has.
  function amountText(amount, currency) {
    var digits = 2;
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: currency }).resolvedOptions().maximumFractionDigits;
    } catch (e) { /* unknown code: two decimals */ }
    return Number(amount).toFixed(digits);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text != null) { node.textContent = text; }
    return node;
  }

  function render(container, options) {
    if (!container || !options || typeof options.checkoutToken !== 'string' || !options.checkoutToken) {
      throw new Error('SandboxWidget.render needs a container and a checkoutToken.');
    }
    var token = options.checkoutToken;
    var onSuccess = typeof options.successHandler === 'function' ? options.successHandler : function () {};
    var onError = typeof options.errorHandler === 'function' ? options.errorHandler : function () {};

    var root = el('div', 'sandbox-widget');
    root.setAttribute('data-sandbox-widget', '');
    root.appendChild(el('p', 'sandbox-widget-banner', 'TEST ONLY — Sandbox Widget. No money moves.'));
    var title = el('p', 'sandbox-widget-title', 'Loading…');
    root.appendChild(title);
    // What the merchant sent as the payment's description (the order's number and products), as a real widget shows it.
    var description = el('p', 'sandbox-widget-description');
    root.appendChild(description);
    var status = el('p', 'sandbox-widget-status');
    status.setAttribute('role', 'status');
    root.appendChild(status);

    var buttons = el('div', 'sandbox-widget-actions');
    function button(label, name) {
      var b = el('button', 'sandbox-widget-button', label);
      b.type = 'button';
      b.name = name;
      b.disabled = true;
      buttons.appendChild(b);
      return b;
    }
    var pay = button('Pay', 'pay');
    var fail = button('Fail', 'fail');
    var timeout = button('Time out', 'timeout');
    var lie = button('Success callback without paying (test hook)', 'success-without-paying');
    root.appendChild(buttons);

    container.replaceChildren(root);

    var done = false;
    function enable(on) {
      [pay, fail, timeout, lie].forEach(function (b) { b.disabled = !on || done; });
    }

    function act(action, then) {
      if (done) { return; }
      enable(false);
      status.textContent = 'Processing…';
      call(api(token, action), 'POST').then(function (answer) {
        done = true;
        status.textContent = '';
        then(answer);
      }, function (error) {
        status.textContent = error.message;
        if (error.code === 'checkout_closed' || error.code === 'unknown_checkout') {
          done = true;
          onError({ code: 'ERROR_CHECKOUT_TIMEOUT', message: error.message });
        } else {
          enable(true);
        }
      });
    }

    pay.onclick = function () {
      act('pay', function (answer) {
        onSuccess({ kind: 'CALLBACK', transactionId: answer.transactionId, transactionStatus: answer.status });
      });
    };
    fail.onclick = function () {
      act('decline', function () {
        onError({ code: 'ERROR_PAYMENT_DECLINED', message: 'The card was declined.' });
      });
    };
    timeout.onclick = function () {
      act('expire', function () {
        onError({ code: 'ERROR_CHECKOUT_TIMEOUT', message: 'The checkout expired.' });
      });
    };
    lie.onclick = function () {
      if (done) { return; }
      done = true;
      enable(false);
      onSuccess({ kind: 'CALLBACK', transactionId: null, transactionStatus: 'succeeded' });
    };

    call(api(token), 'GET').then(function (checkout) {
      title.textContent = 'Pay ' + amountText(checkout.amount, checkout.currency) + ' ' + checkout.currency;
      description.textContent = checkout.description || '';
      if (checkout.status === 'requires_action' || checkout.status === 'pending') {
        enable(true);
      } else {
        done = true;
        status.textContent = 'This checkout is already ' + checkout.status + '.';
      }
    }, function (error) {
      title.textContent = 'Sandbox Widget';
      status.textContent = error.message;
      done = true;
      onError({ code: 'ERROR_INIT_PAYMENT', message: error.message });
    });

    return {
      // Removes the form; a later render starts afresh.
      destroy: function () { done = true; root.remove(); }
    };
  }

  window.SandboxWidget = { render: render };
})();
