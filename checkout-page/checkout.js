// Checkout page: shows the Snipcart payment session through the gateway and starts the payment.
// Every value from the invoice is written with textContent / createElement, never as HTML: item names and
// addresses are typed by shoppers and merchants.
//
// ---- Widget providers: the renderer contract ------------------------------------------------------------
// POST /api/checkout/payments answers either {paymentRef, redirectUrl} (the browser leaves for the provider) or
// {paymentRef, widget} where widget is flat: {kind, scriptUrl, ...the provider's opaque values (checkoutToken,
// transactionId, ...)}, all strings, never a secret. For a widget the page:
//   1. loads its own renderer widgets/<kind>.js (same origin; kind matches /^[a-z0-9][a-z0-9-]*$/), which must
//      register itself without touching the provider's script (not loaded yet):
//        window.GatewayWidgets = window.GatewayWidgets || {};
//        window.GatewayWidgets[kind] = { render: function (container, widget, handlers) { ... } };
//   2. loads widget.scriptUrl (each URL once per page). The page's CSP admits it only when its origin is among the
//      provider's WidgetOrigins (script-src, frame-src, connect-src), computed by the server at start-up;
//   3. empties the container (#widget) and calls render(container, widget, handlers). The renderer adapts the
//      provider's SDK to three handlers:
//        handlers.paid()                the widget says the shopper completed the payment
//        handlers.failed(code, message) the widget's checkout cannot go on (declined, hard error); code is the
//                                       provider's own, shown small for support; message is the provider's text
//                                       (not shown: the page says it in the shopper's language)
//        handlers.expired()             the checkout token or transaction expired
//      render may return {destroy: function () {}}, called before the page renders again or leaves the widget.
//      A render that throws counts as failed('render_error'). Only the first handler call of a render counts;
//      later calls, and calls from an earlier render, are ignored. Recoverable errors the widget handles itself
//      (the shopper may pick another card) need no handler call.
// The handlers confirm NOTHING: paid() makes the page poll GET /api/checkout/payments/{paymentRef}, and the server
// finishes the payment only when the provider, asked server-to-server, says it is paid. failed() shows a message
// and lets the shopper retry (a new attempt: new POST, new paymentRef) or go back to the store's payment step to
// pick another method. expired() starts a new attempt at once (at most MAX_AUTO_RESTARTS times in a row).
(function () {
  'use strict';

  var I18n = window.CheckoutI18n;
  var POLL_INTERVAL_MS = 2000;
  var POLL_MAX_MS = 2 * 60 * 1000;
  var FETCH_TIMEOUT_MS = 20000;
  var MAX_AUTO_RESTARTS = 3;
  var WIDGET_KIND = /^[a-z0-9][a-z0-9-]*$/;

  var params = readParams(window.location.search);
  var apiBase = readApiBase();
  // Until the invoice says otherwise, speak the browser's language.
  var language = I18n.pick((navigator.languages && navigator.languages[0]) || navigator.language);
  var backUrl = null;
  var paying = false;
  var payLabel = '';

  function $(id) { return document.getElementById(id); }

  // Snipcart appends "?publicToken=..." to our checkoutUrl, which already has a query: the URL can come as
  // "?provider=x&mode=test?publicToken=abc". Any "?" after the first is read as "&". (Real "?" in values are
  // percent-encoded, so nothing is lost.)
  function readParams(search) {
    return new URLSearchParams(String(search || '').replace(/^\?/, '').replace(/\?/g, '&'));
  }

  function readApiBase() {
    var fromHtml = document.documentElement.getAttribute('data-api-base');
    var meta = document.querySelector('meta[name="gateway-api"]');
    var base = (fromHtml || (meta && meta.getAttribute('content')) || '').trim();
    return base.replace(/\/+$/, '');
  }

  function apiUrl(path, query) {
    var url = apiBase + path;
    if (query) {
      var q = new URLSearchParams();
      Object.keys(query).forEach(function (k) { if (query[k] != null) { q.set(k, query[k]); } });
      url += '?' + q.toString();
    }
    return url;
  }

  // Only absolute http(s) URLs are ever followed or linked: never javascript:, data: and the like.
  function httpUrl(value) {
    if (typeof value !== 'string' || value === '') { return null; }
    try {
      var url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function t(key, vars) { return I18n.t(language, key, vars); }

  function applyLanguage(lang) {
    language = I18n.pick(lang);
    document.documentElement.lang = lang && isLocale(lang) ? lang : language;
    document.title = t('title');
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
    }
  }

  function isLocale(tag) {
    try { return Intl.getCanonicalLocales(tag).length > 0; } catch (e) { return false; }
  }

  // ---- views -------------------------------------------------------------------------------------------

  var VIEWS = ['view-loading', 'view-error', 'view-expired', 'view-ready', 'view-status'];

  function show(id) {
    VIEWS.forEach(function (v) { $(v).hidden = v !== id; });
    $('app').setAttribute('aria-busy', id === 'view-loading' ? 'true' : 'false');
  }

  function setBackLink(link) {
    if (backUrl) {
      link.href = backUrl;
      link.hidden = false;
    } else {
      link.hidden = true;
    }
  }

  function showError(message, retry) {
    $('error-message').textContent = message;
    $('retry').hidden = !retry;
    $('retry').onclick = retry || null;
    setBackLink($('error-back'));
    show('view-error');
  }

  function showExpired(message) {
    $('expired-message').textContent = message;
    setBackLink($('expired-back'));
    show('view-expired');
  }

  // ---- HTTP --------------------------------------------------------------------------------------------

  // Resolves to {status, body} (body = parsed JSON or null); rejects only when no answer came.
  function request(url, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, FETCH_TIMEOUT_MS);
    var init = Object.assign({ credentials: 'omit', cache: 'no-store', signal: controller.signal }, options || {});
    init.headers = Object.assign({ Accept: 'application/json, application/problem+json' }, init.headers || {});
    return fetch(url, init).then(function (res) {
      var type = res.headers.get('content-type') || '';
      var body = /json/i.test(type) ? res.json().catch(function () { return null; }) : Promise.resolve(null);
      return body.then(function (json) { return { status: res.status, body: json }; });
    }).finally(function () { clearTimeout(timer); });
  }

  // The text of a problem+json answer (title and detail), or the fallback.
  function problemText(body, fallback) {
    if (!body || typeof body !== 'object') { return fallback; }
    var parts = [body.title, body.detail].filter(function (p) { return typeof p === 'string' && p !== ''; });
    return parts.length ? parts.join(' — ') : fallback;
  }

  // ---- money and addresses -----------------------------------------------------------------------------

  function moneyFormatter(currency) {
    try {
      return new Intl.NumberFormat(document.documentElement.lang || language, { style: 'currency', currency: currency });
    } catch (e) {
      // Unknown currency code: still show the number, with the code.
      return { format: function (n) { return Number(n).toLocaleString() + ' ' + currency; } };
    }
  }

  function countryName(code) {
    if (!code) { return ''; }
    try {
      return new Intl.DisplayNames([document.documentElement.lang || language], { type: 'region' }).of(code) || code;
    } catch (e) {
      return code;
    }
  }

  function addressLines(a) {
    var lines = [];
    var name = [a.name, a.surname].filter(Boolean).join(' ');
    if (name) { lines.push(name); }
    if (a.streetAndNumber) { lines.push(a.streetAndNumber); }
    var city = [a.postalCode, a.city].filter(Boolean).join(' ');
    if (city) { lines.push(city); }
    if (a.region) { lines.push(a.region); }
    if (a.country) { lines.push(countryName(a.country)); }
    return lines;
  }

  function fillAddress(sectionId, addressId, address) {
    var lines = address ? addressLines(address) : [];
    var target = $(addressId);
    target.replaceChildren();
    lines.forEach(function (line) {
      var span = document.createElement('span');
      span.textContent = line;
      target.appendChild(span);
    });
    $(sectionId).hidden = lines.length === 0;
  }

  // ---- session view -----------------------------------------------------------------------------------

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) { el.className = className; }
    return el;
  }

  var ADJUSTMENT_TYPES = { discount: 'discounts', tax: 'taxes', shipping: 'shipping' };

  function renderSession(s) {
    applyLanguage(s.language);
    backUrl = httpUrl(s.backUrl);
    var money = moneyFormatter(s.currency);
    var items = Array.isArray(s.items) ? s.items : [];

    $('mode-badge').hidden = s.mode !== 'test';

    var payWith = $('pay-with');
    payWith.replaceChildren();
    var providerName = (s.provider && s.provider.name) || '';
    // "Pay with {provider}" with the name in bold, still built from text nodes only.
    t('payWith', { provider: '\u0000' }).split('\u0000').forEach(function (part, i) {
      if (i > 0) { payWith.appendChild(text('strong', providerName)); }
      if (part) { payWith.appendChild(document.createTextNode(part)); }
    });

    var body = $('items-body');
    body.replaceChildren();
    items.forEach(function (item) {
      var type = String(item.type || '').toLowerCase();
      // Discounts, taxes and shipping are shown in the totals; unknown types stay visible as lines.
      if (ADJUSTMENT_TYPES[type]) { return; }
      var row = document.createElement('tr');
      row.appendChild(text('td', String(item.name || ''), 'item-name'));
      row.appendChild(text('td', Number(item.quantity).toLocaleString(document.documentElement.lang), 'num'));
      row.appendChild(text('td', money.format(item.unitPrice), 'num col-unit'));
      row.appendChild(text('td', money.format(item.amount), 'num'));
      body.appendChild(row);
    });

    renderTotals(s, items, money);
    fillAddress('billing', 'billing-address', s.billingAddress);
    fillAddress('shipping', 'shipping-address', s.shippingAddress);
    $('email').textContent = s.email || '';
    $('email-block').hidden = !s.email;

    var payButton = $('pay');
    payLabel = t('pay', { amount: money.format(s.totals ? s.totals.total : s.amount) });
    payButton.textContent = payLabel;
    payButton.disabled = false;
    payButton.onclick = function () { startPayment(0); };
    $('pay-error').hidden = true;
    setBackLink($('back-link'));
    show('view-ready');
  }

  function renderTotals(s, items, money) {
    var totals = s.totals || {};
    var dl = $('totals');
    dl.replaceChildren();

    function row(label, amount, names, className) {
      var dt = text('dt', label, className);
      if (names && names.length) { dt.appendChild(text('span', names.join(', '), 'detail-names')); }
      dl.appendChild(dt);
      dl.appendChild(text('dd', money.format(amount), className));
    }

    row(t('subtotal'), totals.items || 0);
    // A row per kind of adjustment the invoice has, with the merchant's own names for them ("FREE SHIPPING").
    ['discount', 'tax', 'shipping'].forEach(function (type) {
      var lines = items.filter(function (i) { return String(i.type || '').toLowerCase() === type; });
      if (!lines.length) { return; }
      var key = ADJUSTMENT_TYPES[type];
      row(t(key), totals[key] || 0, lines.map(function (i) { return String(i.name || ''); }).filter(Boolean));
    });
    row(t('total'), totals.total != null ? totals.total : s.amount, null, 'total');
  }

  function loadSession() {
    var token = params.get('publicToken');
    if (!token) {
      showExpired(t('missingToken'));
      return;
    }
    show('view-loading');
    request(apiUrl('/api/checkout/session', { publicToken: token, provider: params.get('provider'), mode: params.get('mode') }))
      .then(function (res) {
        if (res.status === 200 && res.body) {
          renderSession(res.body);
        } else if (res.status === 401) {
          showExpired(t('expired'));
        } else if (res.status === 422 && res.body && res.body.code === 'provider_unavailable') {
          backUrl = httpUrl(res.body.backUrl);
          showError(t('providerUnavailable'), null);
        } else if (res.status >= 400 && res.status < 500) {
          showError(problemText(res.body, t('loadFailed')), null);
        } else {
          showError(t('loadFailed'), loadSession);
        }
      }, function () {
        showError(t('loadFailed'), loadSession);
      });
  }

  // ---- pay --------------------------------------------------------------------------------------------

  function payError(message) {
    var box = $('pay-error');
    box.textContent = message;
    box.hidden = false;
  }

  // Back on the summary with the Pay button usable (a click starts a new attempt) and, when a widget failed, a way
  // back to the store's payment step to pick another method.
  function payFailed(message, offerOtherMethod) {
    paying = false;
    var button = $('pay');
    button.hidden = false;
    button.disabled = false;
    button.textContent = payLabel;
    $('widget-note').hidden = true;
    payError(message);
    var other = $('other-method');
    if (offerOtherMethod && backUrl) {
      other.href = backUrl;
      $('other-method-block').hidden = false;
    } else {
      $('other-method-block').hidden = true;
    }
  }

  function startPayment(restarts) {
    // The flag and the disabled button both guard against a double click; the gateway is idempotent per
    // session as well, but one click must mean one request.
    if (paying) { return; }
    paying = true;
    var button = $('pay');
    button.disabled = true;
    button.textContent = t('paying');
    $('pay-error').hidden = true;
    $('other-method-block').hidden = true;

    request(apiUrl('/api/checkout/payments'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      // sig binds provider and mode to the link Snipcart was given: the server refuses an edited one.
      body: JSON.stringify({ publicToken: params.get('publicToken'), provider: params.get('provider'), mode: params.get('mode'), sig: params.get('sig') })
    }).then(function (res) {
      var body = res.body || {};
      if (res.status >= 200 && res.status < 300) {
        var target = httpUrl(body.redirectUrl) || httpUrl(body.returnUrl);
        if (target) {
          // Stay disabled: the browser is leaving.
          window.location.assign(target);
        } else if (body.widget && typeof body.widget === 'object' && typeof body.paymentRef === 'string') {
          showWidget(body.paymentRef, body.widget, restarts || 0);
        } else {
          payFailed(t('payFailed'));
        }
      } else if (res.status === 401) {
        paying = false;
        showExpired(t('expired'));
      } else {
        payFailed(problemText(res.body, t('payFailed')));
      }
    }, function () {
      payFailed(t('payFailed'));
    });
  }

  // ---- widget providers (the contract is at the top of this file) ---------------------------------------

  var scripts = {};
  var widgetRender = 0;
  var widgetHandle = null;

  // [widget-loading] A provider's script that never finishes loading (a stalled CDN, a blocked host) must not
  // leave the shopper on a dead Pay button: each load gives up after the widget timeout (15 s; the <html>
  // attribute data-widget-timeout-ms overrides it, e.g. for tests) and the page offers a way on.
  function widgetTimeoutMs() {
    var configured = Number(document.documentElement.getAttribute('data-widget-timeout-ms'));
    return configured > 0 ? configured : 15000;
  }

  // Each URL is loaded once per page; a failed or timed-out load may be tried again.
  function loadScript(src) {
    if (!scripts[src]) {
      scripts[src] = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        var timer = setTimeout(function () { fail('Timed out loading ' + src); }, widgetTimeoutMs());
        function fail(why) {
          clearTimeout(timer);
          delete scripts[src];
          script.remove();
          reject(new Error(why));
        }
        script.src = src;
        script.async = false;
        script.onload = function () { clearTimeout(timer); resolve(); };
        script.onerror = function () { fail('Could not load ' + src); };
        document.head.appendChild(script);
      });
    }
    return scripts[src];
  }
  // [/widget-loading]

  function clearWidget() {
    widgetRender++;
    var handle = widgetHandle;
    widgetHandle = null;
    if (handle && typeof handle.destroy === 'function') {
      try { handle.destroy(); } catch (e) { /* the widget is going away anyway */ }
    }
    var container = $('widget');
    container.replaceChildren();
    container.hidden = true;
  }

  function showWidget(paymentRef, widget, restarts) {
    clearWidget();
    var render = widgetRender;
    var kind = typeof widget.kind === 'string' ? widget.kind : '';
    var scriptUrl = httpUrl(widget.scriptUrl);
    if (!WIDGET_KIND.test(kind) || !scriptUrl) {
      payFailed(t('widgetUnsupported'), true);
      return;
    }
    loadScript('widgets/' + kind + '.js').then(function () {
      return loadScript(scriptUrl);
    }).then(function () {
      if (render !== widgetRender) { return; }
      var renderer = window.GatewayWidgets && window.GatewayWidgets[kind];
      if (!renderer || typeof renderer.render !== 'function') {
        payFailed(t('widgetUnsupported'), true);
        return;
      }
      var settled = false;
      // Only the first call of this render counts.
      function once(fn) {
        return function () {
          if (settled || render !== widgetRender) { return; }
          settled = true;
          fn.apply(null, arguments);
        };
      }
      var handlers = Object.freeze({
        paid: once(function () { widgetPaid(paymentRef); }),
        failed: once(function (code) { widgetFailed(code, kind); }),
        expired: once(function () { widgetExpired(restarts); })
      });
      var container = $('widget');
      container.hidden = false;
      $('pay').hidden = true;
      $('widget-note').hidden = true;
      paying = false;
      try {
        widgetHandle = renderer.render(container, Object.freeze(Object.assign({}, widget)), handlers) || null;
      } catch (e) {
        handlers.failed('render_error', String(e && e.message));
      }
    }, function () {
      if (render !== widgetRender) { return; }
      // Every widget failure has a way on: Pay again (a new attempt) or another payment method.
      payFailed(t('widgetLoadFailed'), true);
    });
  }

  // The widget's word is not proof: ask the server, which asks the provider.
  function widgetPaid(paymentRef) {
    clearWidget();
    var url = new URL(window.location.href);
    url.searchParams.set('paymentRef', paymentRef);
    // A reload shows the same status view rather than a new Pay button.
    try { window.history.replaceState(null, '', url.href); } catch (e) { /* not essential */ }
    startStatus(paymentRef);
  }

  function widgetFailed(code, kind) {
    clearWidget();
    // A provider's documented error code may have its own message (i18n key widgetError_<kind>_<code>).
    var specific = typeof code === 'string' ? 'widgetError_' + kind + '_' + code : '';
    var message = specific && t(specific) !== specific ? t(specific) : t('widgetFailed');
    if (typeof code === 'string' && code !== '') {
      message += ' ' + t('widgetCode', { code: code.slice(0, 64) });
    }
    payFailed(message, true);
  }

  // The provider's checkout ran out: a new attempt, with a new paymentRef, at once.
  function widgetExpired(restarts) {
    clearWidget();
    if (restarts >= MAX_AUTO_RESTARTS) {
      payFailed(t('widgetExpired'), true);
      return;
    }
    var note = $('widget-note');
    note.textContent = t('widgetRestarting');
    note.hidden = false;
    $('pay').hidden = false;
    startPayment(restarts + 1);
  }

  // ---- payment status ---------------------------------------------------------------------------------

  function startStatus(paymentRef) {
    var ref = paymentRef || params.get('paymentRef');
    var deadline = Date.now() + POLL_MAX_MS;
    show('view-status');
    $('status-spinner').hidden = false;
    $('status-title').textContent = t('confirming');
    $('status-message').textContent = t('confirmingHint');
    $('status-retry').hidden = true;
    $('status-pay-again').hidden = true;

    function finish(title, message, canCheckAgain) {
      $('status-spinner').hidden = true;
      $('status-title').textContent = title;
      $('status-message').textContent = message;
      $('status-retry').hidden = !canCheckAgain;
      $('status-retry').onclick = canCheckAgain ? function () { startStatus(ref); } : null;
      // With the token still in the URL, the shopper can go back to the summary and pay again (or pick another
      // method there), also when the answer is still unknown: "Check again" must not be the only way on.
      var again = $('status-pay-again');
      if (params.get('publicToken')) {
        var url = new URL(window.location.href);
        url.search = '';
        ['provider', 'mode', 'sig', 'publicToken'].forEach(function (k) { if (params.get(k)) { url.searchParams.set(k, params.get(k)); } });
        again.href = url.href;
        again.hidden = false;
      }
    }

    function poll() {
      request(apiUrl('/api/checkout/payments/' + encodeURIComponent(ref))).then(function (res) {
        var body = res.body || {};
        if (res.status === 200) {
          var target = httpUrl(body.returnUrl);
          if (target) { window.location.assign(target); return; }
          var status = String(body.status || '').toLowerCase();
          if (status === 'failed' || status === 'canceled' || status === 'cancelled') {
            finish(t('errorTitle'), t('paymentFailed'), false);
            return;
          }
        } else if (res.status === 404) {
          finish(t('errorTitle'), t('paymentNotFound'), false);
          return;
        }
        // Pending, or a transient error: ask again until the deadline.
        next();
      }, next);
    }

    function next() {
      if (Date.now() + POLL_INTERVAL_MS > deadline) {
        finish(t('confirming'), t('stillWaiting'), true);
        return;
      }
      setTimeout(poll, POLL_INTERVAL_MS);
    }

    poll();
  }

  // ---- start ------------------------------------------------------------------------------------------

  applyLanguage(language);
  if (params.get('paymentRef')) {
    startStatus();
  } else {
    loadSession();
  }
})();
