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
//      provider's WidgetOrigins (script-src, frame-src, connect-src): the server sends that provider's widened policy
//      only on a page whose link names it (built at start-up, chosen per request);
//   3. empties the container (#widget) and calls render(container, widget, handlers). The renderer adapts the
//      provider's SDK to three handlers:
//        handlers.paid()                the widget says the shopper completed the payment
//        handlers.failed(code, message) the widget's checkout cannot go on (declined, hard error); code is the
//                                       provider's own, which picks the page's words (never shown); message is
//                                       the provider's text (not shown: the page says it in the shopper's language)
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
  // The merchant's branding and store link (GET /api/checkout/session's store, or /api/checkout/store).
  var store = {};
  var pageTitle = null;

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
    document.title = pageTitle ? pageTitle() : t('title');
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
    }
  }

  function isLocale(tag) {
    try { return Intl.getCanonicalLocales(tag).length > 0; } catch (e) { return false; }
  }

  // ---- views -------------------------------------------------------------------------------------------

  var VIEWS = ['view-loading', 'view-error', 'view-expired', 'view-ready', 'view-status', 'view-paid', 'view-progress', 'view-notice'];

  function show(id) {
    VIEWS.forEach(function (v) { $(v).hidden = v !== id; });
    $('app').setAttribute('aria-busy', id === 'view-loading' ? 'true' : 'false');
  }

  // Every screen has a way on: Snipcart's payment step when the session is known, else the merchant's store.
  function wayBack() { return backUrl || httpUrl(store.url); }

  function setBackLink(link) {
    var target = wayBack();
    if (target) {
      link.href = target;
      link.hidden = false;
    } else {
      link.hidden = true;
    }
  }

  // options: {title, retry, otherMethod}. Without a retry the screen still offers the store.
  function showError(message, retry, options) {
    var o = options || {};
    $('error-title').textContent = o.title || t('errorTitle');
    $('error-message').textContent = message;
    $('retry').hidden = !retry;
    $('retry').onclick = retry || null;
    setBackLink($('error-back'));
    var other = $('error-other');
    other.hidden = !(o.otherMethod && backUrl);
    if (!other.hidden) { other.href = backUrl; $('error-back').hidden = true; }
    show('view-error');
  }

  function showExpired(message, title) {
    $('expired-title').textContent = title || t('expiredTitle');
    $('expired-message').textContent = message;
    setBackLink($('expired-back'));
    show('view-expired');
  }

  function showNotice(title, message) {
    $('notice-title').textContent = title;
    $('notice-message').textContent = message;
    setBackLink($('notice-back'));
    show('view-notice');
  }

  // ---- the merchant's page ------------------------------------------------------------------------------

  // White or near-black text, whichever reads better on the merchant's colour (WCAG relative luminance).
  function textOn(hex) {
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex || '');
    if (!m) { return null; }
    var h = m[1].length === 3 ? m[1].replace(/./g, '$&$&') : m[1];
    var channel = function (i) {
      var c = parseInt(h.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    var l = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? '#ffffff' : '#111111';
  }

  function applyStore(s) {
    store = s && typeof s === 'object' ? s : {};
    var name = typeof store.name === 'string' ? store.name : '';
    var logo = $('store-logo');
    var logoUrl = httpUrl(store.logoUrl);
    if (logoUrl) {
      logo.src = logoUrl;
      logo.alt = name;
      logo.hidden = false;
      $('lock').hidden = true;
    }
    $('title').textContent = name || t('title');
    var color = textOn(store.accentColor);
    if (color) {
      // CSSOM, not a style attribute: allowed under the page's CSP.
      document.documentElement.style.setProperty('--accent', store.accentColor);
      document.documentElement.style.setProperty('--accent-hover', store.accentColor);
      document.documentElement.style.setProperty('--on-accent', color);
      // A light colour would not read as link text on white: links then keep the page's own ink.
      document.documentElement.style.setProperty('--accent-ink', color === '#ffffff' ? store.accentColor : 'var(--text)');
    }
    var any = false;
    [['store-terms', store.termsUrl], ['store-privacy', store.privacyUrl], ['store-support', store.supportUrl]].forEach(function (pair) {
      var url = httpUrl(pair[1]);
      $(pair[0]).hidden = !url;
      if (url) { $(pair[0]).href = url; any = true; }
    });
    var email = typeof store.supportEmail === 'string' && /^[^@\s]+@[^@\s]+$/.test(store.supportEmail) ? store.supportEmail : null;
    $('store-email').hidden = !email;
    if (email) {
      $('store-email').href = 'mailto:' + email;
      $('store-email').textContent = email;
      any = true;
    }
    $('store-links').hidden = !any;
  }

  function loadStore() {
    return request(apiUrl('/api/checkout/store')).then(function (res) {
      if (res.status === 200 && res.body) { applyStore(res.body); }
    }, function () { /* the screen still explains, without the store's link */ });
  }

  // Snipcart's invoice number ("SNIP-1001"): the number the shopper knows the order by, on every screen that knows it.
  // Kept across screens: a later answer without it (a failed refresh) does not take it away.
  var orderNumber = null;

  function showOrderNumber(number) {
    if (typeof number === 'string' && number) { orderNumber = number; }
    var el = $('order-number');
    el.hidden = !orderNumber;
    el.textContent = orderNumber ? t('orderNumber', { number: orderNumber }) : '';
  }

  function showOrderRef(paymentRef) {
    var ref = $('order-ref');
    ref.hidden = !paymentRef;
    ref.textContent = paymentRef ? t('paymentReference', { ref: paymentRef }) : '';
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

  // The shopper's words for a problem+json answer: its stable code, worded in the page's language (problem_<code>),
  // or the fallback. The server's own title and detail are English and never shown.
  function problemText(body, fallback) {
    var code = body && typeof body === 'object' && typeof body.code === 'string' ? body.code : '';
    var key = 'problem_' + code;
    return code && /^[a-z_]+$/.test(code) && t(key) !== key ? t(key) : fallback;
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

  // Countries that write the postal code after the city (and the region with it); the rest of the world mostly
  // writes "postal code city". Japan writes from the postal code down to the street.
  var CITY_FIRST = { US: 1, CA: 1, AU: 1, NZ: 1, GB: 1, IE: 1, IN: 1, SG: 1, HK: 1, PH: 1, MY: 1, ZA: 1, BR: 1, MX: 1 };

  function addressLines(a) {
    var lines = [];
    var country = String(a.country || '').toUpperCase();
    var name = [a.name, a.surname].filter(Boolean).join(' ');
    if (name) { lines.push(name); }
    if (country === 'JP') {
      if (a.postalCode) { lines.push('〒' + a.postalCode); }
      var place = [a.region, a.city].filter(Boolean).join(' ');
      if (place) { lines.push(place); }
      if (a.streetAndNumber) { lines.push(a.streetAndNumber); }
    } else if (CITY_FIRST[country]) {
      if (a.streetAndNumber) { lines.push(a.streetAndNumber); }
      if (country === 'GB' || country === 'IE') {
        if (a.city) { lines.push(a.city); }
        if (a.region) { lines.push(a.region); }
        if (a.postalCode) { lines.push(a.postalCode); }
      } else {
        var regionPostal = [a.region, a.postalCode].filter(Boolean).join(' ');
        var line = [a.city, regionPostal].filter(Boolean).join(', ');
        if (line) { lines.push(line); }
      }
    } else {
      if (a.streetAndNumber) { lines.push(a.streetAndNumber); }
      var city = [a.postalCode, a.city].filter(Boolean).join(' ');
      if (city) { lines.push(city); }
      if (a.region) { lines.push(a.region); }
    }
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

  // The session's state decides the screen: paid (the order's link, no Pay), a payment in flight (its status and
  // what the provider allows), or payable (the summary and Pay).
  function renderSession(s) {
    applyLanguage(s.language);
    applyStore(s.store);
    backUrl = httpUrl(s.backUrl);
    var money = moneyFormatter(s.currency);
    var total = money.format(s.totals ? s.totals.total : s.amount);
    pageTitle = function () { return t(store.name ? 'pageTitle' : 'pageTitleNoStore', { store: store.name, amount: total }); };
    document.title = pageTitle();
    $('mode-badge').hidden = s.mode !== 'test';
    showOrderNumber(s.orderNumber);
    showOrderRef(s.paymentRef || (s.payment && s.payment.paymentRef));
    if (s.state === 'paid') {
      showPaid(s.returnUrl);
      return;
    }
    if (s.state === 'in_progress' && s.payment) {
      showInProgress(s.payment);
      return;
    }
    renderSummary(s, money);
    var last = s.payment && String(s.payment.status || '');
    $('last-payment').hidden = !(last === 'failed' || last === 'canceled');
    $('last-payment').textContent = last === 'canceled' ? t('lastPaymentCanceled') : t('lastPaymentFailed');
  }

  function showPaid(returnUrl) {
    clearTimeout(progressTimer);
    var link = $('paid-order');
    var target = httpUrl(returnUrl);
    link.hidden = !target;
    if (target) { link.href = target; }
    show('view-paid');
  }

  var progressTimer = null;

  // A payment of this order is in flight (another tab, a Back after leaving for the provider): its status, refreshed;
  // continue it at the provider, or cancel it (only when the provider can void it) and choose again.
  function showInProgress(payment) {
    clearTimeout(progressTimer);
    var status = String(payment.status || '');
    $('progress-message').textContent = payment.canCancel ? t('inProgressCanCancel') : (status === 'pending' ? t('inProgressPending') : t('inProgressFinish'));
    var cont = $('progress-continue');
    var target = httpUrl(payment.continueUrl);
    cont.hidden = !target;
    if (target) { cont.href = target; }
    var cancel = $('progress-cancel');
    cancel.hidden = !payment.canCancel;
    cancel.disabled = false;
    cancel.onclick = function () { cancelPayment(payment.paymentRef); };
    setBackLink($('progress-back'));
    showOrderRef(payment.paymentRef);
    show('view-progress');
    progressTimer = setTimeout(function () { refreshSession(); }, POLL_INTERVAL_MS * 2);
  }

  function cancelPayment(paymentRef) {
    clearTimeout(progressTimer);
    $('progress-cancel').disabled = true;
    request(apiUrl('/api/checkout/payments/' + encodeURIComponent(paymentRef) + '/cancel'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(linkBody())
    }).then(function (res) {
      if (res.status === 409 && res.body && res.body.code === 'payment_not_cancelable') {
        $('progress-cancel').hidden = true;
        $('progress-message').textContent = t('problem_payment_not_cancelable');
        progressTimer = setTimeout(function () { refreshSession(); }, POLL_INTERVAL_MS * 2);
        return;
      }
      refreshSession();
    }, function () { refreshSession(); });
  }

  function linkBody() {
    return { publicToken: params.get('publicToken'), provider: params.get('provider'), mode: params.get('mode'), sig: params.get('sig') };
  }

  // Asks the session again (after a cancel, or while a payment is in flight) without the loading screen.
  function refreshSession() {
    request(sessionUrl()).then(function (res) {
      if (res.status === 200 && res.body) { renderSession(res.body); } else { sessionFailed(res); }
    }, function () {
      progressTimer = setTimeout(function () { refreshSession(); }, POLL_INTERVAL_MS * 2);
    });
  }

  function renderSummary(s, money) {
    var items = Array.isArray(s.items) ? s.items : [];

    var payWith = $('pay-with');
    payWith.replaceChildren();
    var providerName = (s.provider && s.provider.name) || '';
    // The provider's logo beside its name (decorative: the name is written next to it).
    var icon = $('provider-icon');
    var iconUrl = httpUrl(s.provider && s.provider.iconUrl);
    icon.hidden = !iconUrl;
    if (iconUrl) { icon.src = iconUrl; } else { icon.removeAttribute('src'); }
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
    payButton.hidden = false;
    paying = false;
    clearTimeout(progressTimer);
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

  function sessionUrl() {
    return apiUrl('/api/checkout/session', { publicToken: params.get('publicToken'), provider: params.get('provider'), mode: params.get('mode'), sig: params.get('sig') });
  }

  function loadSession() {
    if (!params.get('publicToken')) {
      loadStore().then(function () { showExpired(t('missingToken'), t('incompleteTitle')); });
      return;
    }
    show('view-loading');
    request(sessionUrl()).then(function (res) {
      if (res.status === 200 && res.body) {
        renderSession(res.body);
      } else {
        sessionFailed(res);
      }
    }, function () {
      loadStore().then(function () { showError(t('loadFailed'), loadSession); });
    });
  }

  // Each refusal of the session call gets its own heading and a way on (the store's payment step, or the store).
  function sessionFailed(res) {
    var body = res.body || {};
    backUrl = httpUrl(body.backUrl) || backUrl;
    showOrderNumber(body.orderNumber);
    loadStore().then(function () {
      if (res.status === 401) {
        showExpired(t('expired'));
      } else if (res.status === 403) {
        showExpired(t('problem_invalid_checkout_link'), t('invalidLinkTitle'));
      } else if (res.status === 422 && body.code === 'provider_unavailable') {
        showError(t('providerUnavailable'), null, { title: t('providerUnavailableTitle'), otherMethod: true });
      } else if (res.status >= 400 && res.status < 500) {
        showExpired(problemText(body, t('loadFailed')), t('invalidLinkTitle'));
      } else {
        showError(problemText(body, t('loadFailed')), loadSession);
      }
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

  // The widget attempt this page rendered last. A new Pay after it failed or expired first cancels it (the provider
  // voids it): the gateway starts no second payment while one may still take the shopper's money.
  var widgetRef = null;

  function cancelEarlierWidget() {
    var ref = widgetRef;
    widgetRef = null;
    if (!ref) { return Promise.resolve(); }
    return request(apiUrl('/api/checkout/payments/' + encodeURIComponent(ref) + '/cancel'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(linkBody())
    }).catch(function () { /* the Pay below says where things stand */ });
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

    cancelEarlierWidget().then(function () {
      return request(apiUrl('/api/checkout/payments'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        // sig binds provider and mode to the link Snipcart was given: the server refuses an edited one.
        body: JSON.stringify(linkBody())
      });
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
      } else if (res.status === 409 && (body.code === 'payment_in_progress' || body.code === 'already_paid')) {
        // Another tab or an earlier visit got there first: show where the order stands now.
        paying = false;
        refreshSession();
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
    widgetRef = paymentRef;
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
      if (!container.hidden) { bringIntoView(container, render); }
    }, function () {
      if (render !== widgetRender) { return; }
      // Every widget failure has a way on: Pay again (a new attempt) or another payment method.
      payFailed(t('widgetLoadFailed'), true);
    });
  }

  // On a phone the widget opens below the total, under the fold: scroll it to the top of the screen, and again when
  // the provider's script fills it a moment later (its form, its frames), for the first seconds only, so a shopper
  // who scrolls on their own is not pulled back later.
  function bringIntoView(container, render) {
    container.scrollIntoView({ block: 'start' });
    if (typeof ResizeObserver !== 'function') { return; }
    var until = Date.now() + 5000;
    var observer = new ResizeObserver(function () {
      if (render !== widgetRender || container.hidden || Date.now() > until) { observer.disconnect(); return; }
      var box = container.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) { container.scrollIntoView({ block: 'start' }); }
    });
    observer.observe(container);
    setTimeout(function () { observer.disconnect(); }, 5000);
  }

  // The widget's word is not proof: ask the server, which asks the provider.
  function widgetPaid(paymentRef) {
    clearWidget();
    widgetRef = null;
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
    // The provider's code is for support, not for the shopper: plain words only.
    var message = specific && t(specific) !== specific ? t(specific) : t('widgetFailed');
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

    // wayOn: where "back" leads instead of the usual way back (Snipcart's own page for this payment).
    function finish(title, message, canCheckAgain, wayOn) {
      $('status-spinner').hidden = true;
      $('status-title').textContent = title;
      $('status-message').textContent = message;
      $('status-retry').hidden = !canCheckAgain;
      $('status-retry').onclick = canCheckAgain ? function () { startStatus(ref); } : null;
      setBackLink($('status-back'));
      if (wayOn) {
        // Snipcart's page for this payment, not the store: the label says the shopper goes on.
        $('status-back').href = wayOn;
        $('status-back').textContent = t('continueOn');
        $('status-back').hidden = false;
      }
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
          showOrderNumber(body.orderNumber);
          var target = httpUrl(body.returnUrl);
          // An order paid by another payment (a duplicate, or a payment that failed verification after it): the
          // order's page is the answer. Money an unpaid order did not keep: the shopper reads that it is on its way
          // back (or, done, that the provider or a person has given it back) before going on to Snipcart's page for
          // the failed payment, or back to the store's payment step.
          var orderPaid = body.givenBack && (body.givenBack.orderPaid || body.givenBack.reason === 'duplicate_payment');
          if (body.givenBack && !(target && orderPaid)) {
            backUrl = httpUrl(body.backUrl) || backUrl;
            loadStore().then(function () { finish(t('notKeptTitle'), t(body.givenBack.done ? 'givenBack' : 'notKept'), false, target); });
            return;
          }
          if (target) { window.location.assign(target); return; }
          var status = String(body.status || '').toLowerCase();
          if (status === 'failed' || status === 'canceled' || status === 'cancelled') {
            finish(t('errorTitle'), t('paymentFailed'), false);
            return;
          }
        } else if (res.status === 404) {
          loadStore().then(function () { finish(t('paymentNotFoundTitle'), t('paymentNotFound'), false); });
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
  if (params.get('notice') === 'payment_not_found') {
    loadStore().then(function () { showNotice(t('paymentNotFoundTitle'), t('paymentNotFoundNotice')); });
  } else if (params.get('paymentRef')) {
    showOrderRef(params.get('paymentRef'));
    startStatus();
  } else {
    loadSession();
  }
})();
