// The demo store: a cart kept in the page, priced by the server, and Snipcart's payment step.
// Every value from the server is set with textContent, never as HTML.
(function () {
  'use strict';
  const cart = new Map(); // productId -> quantity
  const LAST_CHECKOUT = 'sandbox-last-checkout';
  let catalog = { products: [] };
  const $ = (id) => document.getElementById(id);
  const currency = () => $('currency').value;
  const digits = (c) => (c === 'jpy' ? 0 : 2);
  const format = (amount, c) => Number(amount).toFixed(digits(c)) + ' ' + c.toUpperCase();
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };

  function renderProducts() {
    const root = $('products');
    root.replaceChildren();
    for (const p of catalog.products) {
      const card = el('article', undefined, 'product');
      card.append(el('h3', p.name), el('span', p.type), el('span', format(p.prices[currency()], currency()), 'price'));
      const add = el('button', 'Add to cart');
      add.type = 'button';
      add.addEventListener('click', () => { cart.set(p.id, (cart.get(p.id) || 0) + 1); renderCart(); });
      card.append(add);
      root.append(card);
    }
  }

  function renderCart() {
    const body = $('cart').querySelector('tbody');
    body.replaceChildren();
    for (const [id, qty] of cart) {
      const p = catalog.products.find((x) => x.id === id);
      const row = el('tr');
      const remove = el('button', 'Remove');
      remove.type = 'button';
      remove.addEventListener('click', () => { cart.delete(id); renderCart(); });
      const cell = el('td'); cell.append(remove);
      row.append(el('td', p.name), el('td', String(qty)), el('td', format(p.prices[currency()] * qty, currency()), 'num'), cell);
      body.append(row);
    }
    $('cart-empty').hidden = cart.size > 0;
  }

  async function checkout(event) {
    event.preventDefault();
    if (cart.size === 0) { alert('Add something to the cart first.'); return; }
    const form = new FormData($('checkout'));
    const address = {
      name: form.get('name'), streetAndNumber: form.get('streetAndNumber'), postalCode: form.get('postalCode'),
      country: form.get('country'), city: form.get('city'), region: form.get('region') || null,
    };
    const request = {
      items: [...cart].map(([productId, quantity]) => ({ productId, quantity })),
      currency: currency(), language: form.get('language'), email: form.get('email'),
      billingAddress: address, shippingAddress: address, mode: $('mode').value,
    };
    $('payment').hidden = false;
    $('payment-status').textContent = 'Asking the gateway for payment methods…';
    $('methods').replaceChildren();
    const response = await fetch('/_sandbox/checkout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
    const result = await response.json();
    if (!response.ok) { $('payment-status').textContent = result.error || 'Checkout failed.'; return; }
    // Snipcart's payment step comes back (#/checkout) when a payment is cancelled or declined: remember it.
    sessionStorage.setItem(LAST_CHECKOUT, JSON.stringify({ sessionId: result.sessionId, invoice: result.invoice, methods: result.methods }));
    renderMethods(result, result.methods.length
      ? 'Total ' + format(result.invoice.amount, result.invoice.currency) + '. Choose a payment method:'
      : 'No payment method available (' + (result.error || 'the gateway returned none') + ').');
  }

  // The payment step: one form per method, posted to the sandbox, which redirects with a fresh token as Snipcart does.
  function renderMethods(result, status) {
    $('payment').hidden = false;
    $('payment-status').textContent = status;
    $('methods').replaceChildren();
    for (const m of result.methods) {
      // Snipcart shows the icon or the name, never both.
      const methodForm = el('form');
      methodForm.method = 'post';
      methodForm.action = '/_sandbox/sessions/' + encodeURIComponent(result.sessionId) + '/methods/' + encodeURIComponent(m.id);
      const button = el('button', m.iconUrl ? undefined : m.name, 'primary');
      if (m.iconUrl) { const img = el('img'); img.src = m.iconUrl; img.alt = m.name; button.append(img); }
      methodForm.append(button);
      $('methods').append(methodForm);
    }
  }

  // Back from a payment that was not completed (Snipcart's paymentAuthorizationRedirectUrl, #/checkout): the same
  // order's payment step again, so the shopper can pick a method again.
  function resumeCheckout() {
    const saved = location.hash === '#/checkout' ? sessionStorage.getItem(LAST_CHECKOUT) : null;
    if (!saved) { return; }
    const result = JSON.parse(saved);
    renderMethods(result, 'The payment was not completed. Total ' + format(result.invoice.amount, result.invoice.currency) + '. Choose a payment method:');
  }

  async function start() {
    catalog = await (await fetch('/_sandbox/catalog')).json();
    $('currency').addEventListener('change', () => { renderProducts(); renderCart(); });
    $('checkout').addEventListener('submit', (e) => { checkout(e).catch((err) => { $('payment-status').textContent = String(err); }); });
    renderProducts();
    renderCart();
    resumeCheckout();
  }
  start();
})();
