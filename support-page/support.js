// The support page: finds a payment's story, lists what needs attention, and acts on a payment through the support
// API. The function key lives in this closure only and travels in the x-functions-key header, never in a URL.
// Everything from the API is shown with textContent: no markup from data ever reaches the page.
(function () {
  "use strict";

  let functionKey = "";
  let nextContinuation = null;
  const $ = (id) => document.getElementById(id);

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function showError(message) {
    $("error").textContent = message;
    $("error").hidden = !message;
  }

  async function api(path, options) {
    if (!functionKey) { throw new Error("Enter a function key first."); }
    const init = Object.assign({ headers: {} }, options || {});
    init.headers["x-functions-key"] = functionKey;
    init.headers["Accept"] = "application/json";
    init.cache = "no-store";
    const response = await fetch(path, init);
    if (response.status === 401) { throw new Error("The key was refused (401). Use a function or host key of this app."); }
    const text = await response.text();
    const body = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const problem = body && (body.title || body.code) ? `${body.title || ""} (${body.code || response.status})` : `HTTP ${response.status}`;
      const error = new Error(problem);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function money(amount, currency) { return `${amount} ${currency}`; }
  function when(value) { return value ? new Date(value).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : ""; }

  // ---- One payment's story -------------------------------------------------------------------------------------

  function timelineOf(attempt) {
    const events = [];
    const add = (at, text) => { if (at) { events.push({ at, text }); } };
    add(attempt.createdAt, `Attempt started with ${attempt.provider} (${attempt.mode}), ${money(attempt.amount, attempt.currency)}`);
    add(attempt.paidAt, `Provider reported paid (${attempt.providerStatus || attempt.status})`);
    add(attempt.snipcart.toldAt, `Snipcart told "${attempt.snipcart.told}"`);
    for (const refund of attempt.refunds) {
      add(refund.requestedAt, `Refund ${refund.refundId} of ${money(refund.amount, refund.currency)} asked for`);
      add(refund.updatedAt, `Refund ${refund.refundId}: ${refund.state}${refund.failureMessage ? " (" + refund.failureMessage + ")" : ""}`);
      add(refund.resolvedAt, `Refund ${refund.refundId} marked ${refund.resolution} by ${refund.resolvedBy}${refund.resolutionNote ? ": " + refund.resolutionNote : ""}`);
    }
    for (const action of attempt.actions) {
      add(action.at, `Support: ${action.action} by ${action.by}${action.note ? " (" + action.note + ")" : ""}: ${action.result}`);
    }
    add(attempt.updatedAt, `Last change: ${attempt.status}${attempt.needsAttention ? ", needs attention (" + (attempt.reason || "no reason") + ")" : ""}`);
    return events.sort((a, b) => new Date(a.at) - new Date(b.at));
  }

  function facts(pairs) {
    const list = el("dl", null, "facts");
    for (const [name, value] of pairs) {
      if (value === null || value === undefined || value === "") { continue; }
      list.append(el("dt", name), el("dd", typeof value === "object" ? JSON.stringify(value) : value));
    }
    return list;
  }

  function actionForm(attempt) {
    const form = el("form", null, "inline action-form");
    const select = el("select");
    select.setAttribute("aria-label", "Action");
    for (const name of ["handled", "manual_refund_done", "manual_refund_dropped", "recheck"]) {
      const option = el("option", name);
      option.value = name;
      select.append(option);
    }
    const note = el("input");
    note.placeholder = "Note";
    note.maxLength = 1000;
    note.setAttribute("aria-label", "Note");
    const submit = el("button", "Apply");
    submit.type = "submit";
    form.append(select, note, submit);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await act(attempt.paymentRef, select.value, note.value, () => find(attempt.paymentRef));
    });
    return form;
  }

  function renderStory(story) {
    const root = $("story");
    root.replaceChildren();
    root.append(el("p", `Found by ${story.matchedBy}.`, "muted"));
    for (const session of story.sessions) {
      root.append(el("h3", `Snipcart session ${session.id}`));
      root.append(facts([["Processed by", session.processedPaymentRef], ["Being told by", session.confirmingPaymentRef]]));
      for (const attempt of session.attempts) {
        const box = el("article", null, "attempt" + (attempt.needsAttention ? " flagged" : ""));
        box.dataset.paymentRef = attempt.paymentRef;
        box.append(el("h3", `${attempt.paymentRef}: ${attempt.status}${attempt.needsAttention ? " · needs attention: " + (attempt.reason || "?") : ""}`));
        box.append(facts([
          ["Provider", `${attempt.provider} (${attempt.mode})`],
          ["Amount", money(attempt.amount, attempt.currency)],
          ["Refunded", money(attempt.refundedAmount, attempt.currency)],
          ["Provider status", attempt.providerStatus],
          ["Provider payment id", attempt.providerPaymentId],
          ["Transaction id", attempt.transactionId],
          ["Snipcart told", attempt.snipcart.told ? `${attempt.snipcart.told} at ${when(attempt.snipcart.toldAt)}` : "nothing yet"],
          ["Snipcart answer lost", attempt.snipcart.answerLost],
          ["Snipcart refusals", attempt.snipcart.refusals || null],
          ["Last Snipcart error", attempt.snipcart.lastError],
          ["Failure", attempt.failureMessage],
          ["Provider data", Object.keys(attempt.providerData).length ? attempt.providerData : null],
        ]));
        const list = el("ol", null, "timeline");
        for (const event of timelineOf(attempt)) {
          const item = el("li");
          item.append(el("time", when(event.at)), document.createTextNode(event.text));
          list.append(item);
        }
        box.append(list, actionForm(attempt));
        root.append(box);
      }
    }
  }

  async function find(key) {
    showError("");
    try {
      renderStory(await api("/api/support/payments/" + encodeURIComponent(key)));
    } catch (error) {
      $("story").replaceChildren();
      showError(error.status === 404 ? `No payment matches "${key}".` : error.message);
    }
  }

  async function act(paymentRef, action, note, then) {
    showError("");
    try {
      const done = await api(`/api/support/payments/${encodeURIComponent(paymentRef)}/actions`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ action, note: note || null }),
      });
      $("key-state").textContent = `${done.action} on ${done.paymentRef}: ${done.result}`;
      if (then) { await then(); }
    } catch (error) {
      showError(error.message);
    }
  }

  // ---- The attention list ---------------------------------------------------------------------------------------

  function attentionRow(item) {
    const row = el("tr");
    row.dataset.paymentRef = item.paymentRef;
    const refCell = el("td");
    const link = el("button", item.paymentRef, "secondary");
    link.type = "button";
    link.addEventListener("click", () => { $("search-key").value = item.paymentRef; find(item.paymentRef); });
    refCell.append(link);
    const actions = el("td");
    const handled = el("button", "Mark handled");
    handled.type = "button";
    handled.addEventListener("click", () => act(item.paymentRef, "handled", "", () => row.remove()));
    actions.append(handled);
    row.append(el("td", when(item.createdAt)), refCell, el("td", item.reason || ""), el("td", `${item.provider} (${item.mode})`),
      el("td", money(item.amount, item.currency)), el("td", item.snipcartState || ""), actions);
    return row;
  }

  async function loadAttention(more) {
    showError("");
    const query = new URLSearchParams();
    if ($("reason").value.trim()) { query.set("reason", $("reason").value.trim()); }
    if ($("since").value) { query.set("since", $("since").value); }
    if (more && nextContinuation) { query.set("continuation", nextContinuation); }
    try {
      const page = await api("/api/support/attention?" + query.toString());
      const body = $("attention").querySelector("tbody");
      if (!more) { body.replaceChildren(); }
      for (const item of page.items) { body.append(attentionRow(item)); }
      nextContinuation = page.continuation;
      $("attention").hidden = body.children.length === 0;
      $("attention-empty").hidden = body.children.length > 0 || Boolean(nextContinuation);
      $("attention-more").hidden = !nextContinuation;
    } catch (error) {
      showError(error.message);
    }
  }

  // ---- Wiring --------------------------------------------------------------------------------------------------

  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    functionKey = $("function-key").value.trim();
    $("function-key").value = "";
    $("key-state").textContent = functionKey ? "Key set (kept in this page only)" : "No key yet";
  });
  $("search-form").addEventListener("submit", (event) => { event.preventDefault(); find($("search-key").value.trim()); });
  $("attention-form").addEventListener("submit", (event) => { event.preventDefault(); loadAttention(false); });
  $("attention-more").addEventListener("click", () => loadAttention(true));
})();
